using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using P2P.ApiKeys.Authentication;
using P2P.ApiKeys.Caching;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Tests.TestSupport;
using P2P.Tests.Shared;

namespace P2P.ApiKeys.Tests.Caching;

public sealed class ApiKeyVerificationCacheTests
{
    [Fact]
    public async Task Authenticate_CachedKey_MakesNoStoreCall()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var (key, _) = await host.CreateKeyAsync();
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", key)).StatusCode);
        Assert.Equal(1, host.Store.Lookups);

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", key)).StatusCode);
        }

        Assert.Equal(1, host.Store.Lookups);
    }

    [Fact]
    public async Task Authenticate_AfterTtl_AsksStoreAgain()
    {
        await using var host = await ApiKeyTestHost.StartAsync(o => o.CacheTtl = TimeSpan.FromSeconds(5));
        var (key, _) = await host.CreateKeyAsync();
        await host.GetAsync("/read", key);
        host.Time.Advance(TimeSpan.FromSeconds(4));
        await host.GetAsync("/read", key);
        Assert.Equal(1, host.Store.Lookups);

        host.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", key)).StatusCode);

        Assert.Equal(2, host.Store.Lookups);
    }

    [Fact]
    public async Task Authenticate_RevokedInStoreWithoutNotifier_RefusedAfterTtl()
    {
        await using var host = await ApiKeyTestHost.StartAsync(o => o.CacheTtl = TimeSpan.FromSeconds(5));
        var (key, record) = await host.CreateKeyAsync();
        await host.GetAsync("/read", key);

        // Another node revoked it: this node only learns it when the snapshot expires (the documented bound).
        await host.Store.RevokeAsync(record.Id, host.Time.GetUtcNow(), TestContext.Current.CancellationToken);
        host.Time.Advance(TimeSpan.FromSeconds(5));

        await ProblemAssert.IsUnauthorizedAsync(await host.GetAsync("/read", key));
    }

    [Fact]
    public async Task Authenticate_CacheTtlZero_AsksStoreEveryTime()
    {
        await using var host = await ApiKeyTestHost.StartAsync(o => o.CacheTtl = TimeSpan.Zero);
        var (key, _) = await host.CreateKeyAsync();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", key)).StatusCode);
        }

        Assert.Equal(3, host.Store.Lookups);
        Assert.Equal(0, host.Services.GetRequiredService<ApiKeyVerificationCache<VerifiedApiKey>>().Count);
    }

    [Fact]
    public async Task Authenticate_ManyKeys_CacheStaysWithinSizeLimit()
    {
        await using var host = await ApiKeyTestHost.StartAsync(o => o.CacheSizeLimit = 10);
        var cache = host.Services.GetRequiredService<ApiKeyVerificationCache<VerifiedApiKey>>();

        for (var i = 0; i < 40; i++)
        {
            var (key, _) = await host.CreateKeyAsync();
            Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", key)).StatusCode);
            Assert.InRange(cache.Count, 1, 10);
        }
    }

    [Fact]
    public async Task Authenticate_UnknownKeyCreatedLater_AcceptedAtOnce()
    {
        // No negative caching: a miss for a lookup id must not hide a key stored afterwards.
        // The key is written where this node cannot see it yet (another node's write, not yet visible here).
        await using var host = await ApiKeyTestHost.StartAsync(o => o.CacheTtl = TimeSpan.FromHours(1));
        host.Store.HidesKeys = true;
        var (key, _) = await host.CreateKeyAsync();
        await ProblemAssert.IsUnauthorizedAsync(await host.GetAsync("/read", key));

        host.Store.HidesKeys = false;

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", key)).StatusCode);
    }

    [Fact]
    public void Set_AfterEvictionDuringStoreRead_IsNotCached()
    {
        var cache = CreateCache(TimeSpan.FromMinutes(1), 100, out var time);
        var record = new ApiKeyRecord { Id = Guid.NewGuid(), LookupId = "AAAAAAAAAAAA", SecretHash = new byte[32], Name = "k" };

        var generation = cache.Generation;   // a request starts reading the store...
        cache.Remove(record.LookupId);       // ...the key is revoked and evicted meanwhile...
        cache.Set(VerifiedApiKey.Create(record, cache.CachedUntil(time.GetUtcNow()), "ApiKey"), generation); // ...its stale read arrives.

        Assert.False(cache.TryGet("AAAAAAAAAAAA", time.GetUtcNow(), out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void TryGet_BySpan_FindsEntryAndExpiresIt()
    {
        var cache = CreateCache(TimeSpan.FromSeconds(10), 100, out var time);
        var record = new ApiKeyRecord { Id = Guid.NewGuid(), LookupId = "BBBBBBBBBBBB", SecretHash = new byte[32], Name = "k" };
        cache.Set(VerifiedApiKey.Create(record, cache.CachedUntil(time.GetUtcNow()), "ApiKey"), cache.Generation);

        Assert.True(cache.TryGet("xBBBBBBBBBBBBx".AsSpan(1, 12), time.GetUtcNow(), out var entry));
        Assert.Equal(record.Id, entry!.Id);
        Assert.False(cache.TryGet("bBBBBBBBBBBB", time.GetUtcNow(), out _)); // ordinal, never case-folded
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(cache.TryGet("BBBBBBBBBBBB", time.GetUtcNow(), out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Create_CachedSnapshot_DoesNotShareRecordState()
    {
        var cache = CreateCache(TimeSpan.FromMinutes(1), 100, out var time);
        var record = new ApiKeyRecord { Id = Guid.NewGuid(), LookupId = "DDDDDDDDDDDD", SecretHash = new byte[32], Name = "k", Scopes = ["a"] };
        var entry = VerifiedApiKey.Create(record, cache.CachedUntil(time.GetUtcNow()), "ApiKey");

        record.SecretHash[0] = 1;
        record.Scopes.Add("b");

        Assert.Equal(0, entry.SecretHash[0]);
        Assert.Single(entry.Claims, c => c.Type == ApiKeyClaimTypes.Scope);
    }

    [Fact]
    public void TryGet_HitWithSecretCheck_AllocatesNothing()
    {
        var cache = CreateCache(TimeSpan.FromMinutes(1), 100, out var time);
        var hasher = new P2P.ApiKeys.KeyFormat.ApiKeySecretHasher(null);
        const string secret = "Q8bX2mLp0Z3kT9xQ2mLp0Z3kT9xQ2mLp";
        var record = new ApiKeyRecord { Id = Guid.NewGuid(), LookupId = "EEEEEEEEEEEE", SecretHash = hasher.Hash(secret), Name = "k" };
        cache.Set(VerifiedApiKey.Create(record, cache.CachedUntil(time.GetUtcNow()), "ApiKey"), cache.Generation);
        var presented = "p2p_EEEEEEEEEEEE_" + secret;
        var now = time.GetUtcNow();
        cache.TryGet(presented.AsSpan(4, 12), now, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(cache.TryGet(presented.AsSpan(4, 12), now, out var entry));
            Assert.True(hasher.Verify(presented.AsSpan(17, 32), entry!.SecretHash));
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    private static ApiKeyVerificationCache<VerifiedApiKey> CreateCache(TimeSpan ttl, int limit, out FakeTimeProvider time)
    {
        time = new FakeTimeProvider(ApiKeyTestHost.Start);
        return new ApiKeyVerificationCache<VerifiedApiKey>(Options.Create(new ApiKeyOptions { CacheTtl = ttl, CacheSizeLimit = limit }), time);
    }
}
