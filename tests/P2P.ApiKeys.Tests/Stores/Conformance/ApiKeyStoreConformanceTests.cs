using P2P.ApiKeys.Stores;
using static P2P.ApiKeys.Tests.Stores.Conformance.StoreTestData;

namespace P2P.ApiKeys.Tests.Stores.Conformance;

/// <summary>
/// The <see cref="IApiKeyStore"/> contract, one test per rule. Every store (in-memory, EF Core on SQLite and
/// PostgreSQL, a host's own) derives from this class and supplies empty stores.
/// </summary>
public abstract class ApiKeyStoreConformanceTests
{
    /// <summary>Returns a new, empty store; may be called several times in one test.</summary>
    protected abstract Task<IApiKeyStore> CreateStoreAsync();

    /// <summary>How many times the race tests repeat, each on a fresh store.</summary>
    protected virtual int RaceRepetitions => 20;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateAsync_ThenFind_ReturnsEveryField()
    {
        var store = await CreateStoreAsync();
        var key = NewKey();
        key.Scopes = ["p2p:read", "admin:keys", "x.y/z"];
        await store.CreateAsync(key, Ct);

        AssertSameKey(key, await store.FindByIdAsync(key.Id, Ct));
        AssertSameKey(key, await store.FindByLookupIdAsync(key.LookupId, Ct));
    }

    [Fact]
    public async Task CreateAsync_NoScopesNoExpiryNoOwner_RoundTrips()
    {
        var store = await CreateStoreAsync();
        var key = NewKey();
        key.Scopes = [];
        key.ExpiresAt = null;
        key.Owner = null;
        await store.CreateAsync(key, Ct);

        AssertSameKey(key, await store.FindByIdAsync(key.Id, Ct));
    }

    [Fact]
    public async Task CreateAsync_TimestampsWithOffset_ComeBackAsTheSameUtcInstant()
    {
        var store = await CreateStoreAsync();
        var key = NewKey(createdAt: Epoch.ToOffset(TimeSpan.FromHours(2)));
        key.ExpiresAt = Epoch.AddDays(1).ToOffset(TimeSpan.FromHours(-5));
        key.RevokedAt = Epoch.AddHours(1).ToOffset(TimeSpan.FromMinutes(330));
        await store.CreateAsync(key, Ct);

        var found = await store.FindByIdAsync(key.Id, Ct);
        Assert.NotNull(found);
        Assert.Equal(Epoch.UtcTicks, found.CreatedAt.UtcTicks);
        Assert.Equal(Epoch.AddDays(1).UtcTicks, found.ExpiresAt!.Value.UtcTicks);
        Assert.Equal(Epoch.AddHours(1).UtcTicks, found.RevokedAt!.Value.UtcTicks);
    }

    [Fact]
    public async Task FindAsync_Unknown_ReturnsNull()
    {
        var store = await CreateStoreAsync();
        await store.CreateAsync(NewKey(), Ct);

        Assert.Null(await store.FindByIdAsync(Guid.NewGuid(), Ct));
        Assert.Null(await store.FindByLookupIdAsync(NewLookupId(), Ct));
    }

    [Fact]
    public async Task FindByLookupIdAsync_DifferentCase_ReturnsNull()
    {
        var store = await CreateStoreAsync();
        var key = NewKey(lookupId: "abcDEF123xyz");
        await store.CreateAsync(key, Ct);

        Assert.Null(await store.FindByLookupIdAsync("ABCdef123XYZ", Ct));
        Assert.NotNull(await store.FindByLookupIdAsync("abcDEF123xyz", Ct));
    }

    [Fact]
    public async Task CreateAsync_DuplicateLookupId_ThrowsAndKeepsTheFirst()
    {
        var store = await CreateStoreAsync();
        var first = NewKey();
        await store.CreateAsync(first, Ct);
        var second = NewKey(lookupId: first.LookupId);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.CreateAsync(second, Ct).AsTask());
        Assert.Equal(1, await store.CountAsync(Ct));
        AssertSameKey(first, await store.FindByLookupIdAsync(first.LookupId, Ct));
    }

    [Fact]
    public async Task CreateAsync_DuplicateId_Throws()
    {
        var store = await CreateStoreAsync();
        var first = NewKey();
        await store.CreateAsync(first, Ct);
        var second = NewKey();
        second.Id = first.Id;

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.CreateAsync(second, Ct).AsTask());
        Assert.Equal(1, await store.CountAsync(Ct));
    }

    [Fact]
    public async Task ListAsync_ReturnsNewestFirstInPages()
    {
        var store = await CreateStoreAsync();
        var keys = Enumerable.Range(0, 7).Select(i => NewKey(createdAt: Epoch.AddMinutes(i))).ToList();
        foreach (var key in keys.OrderBy(_ => Random.Shared.Next()))
        {
            await store.CreateAsync(key, Ct);
        }

        var expected = keys.OrderByDescending(k => k.CreatedAt).Select(k => k.Id).ToList();
        Assert.Equal(expected, (await CollectAsync(store.ListAsync(0, 100, Ct), Ct)).Select(k => k.Id));
        Assert.Equal(expected.Take(3), (await CollectAsync(store.ListAsync(0, 3, Ct), Ct)).Select(k => k.Id));
        Assert.Equal(expected.Skip(3).Take(3), (await CollectAsync(store.ListAsync(3, 3, Ct), Ct)).Select(k => k.Id));
        Assert.Equal(expected.Skip(6), (await CollectAsync(store.ListAsync(6, 3, Ct), Ct)).Select(k => k.Id));
        Assert.Empty(await CollectAsync(store.ListAsync(7, 3, Ct), Ct));
        Assert.Empty(await CollectAsync(store.ListAsync(0, 0, Ct), Ct));
    }

    [Fact]
    public async Task ListAsync_SameCreationTime_OrderIsStable()
    {
        var store = await CreateStoreAsync();
        for (var i = 0; i < 5; i++)
        {
            await store.CreateAsync(NewKey(createdAt: Epoch), Ct);
        }

        var all = (await CollectAsync(store.ListAsync(0, 10, Ct), Ct)).Select(k => k.Id).ToList();
        var paged = (await CollectAsync(store.ListAsync(0, 2, Ct), Ct))
            .Concat(await CollectAsync(store.ListAsync(2, 2, Ct), Ct))
            .Concat(await CollectAsync(store.ListAsync(4, 2, Ct), Ct))
            .Select(k => k.Id);
        Assert.Equal(all, paged);
        Assert.Equal(5, all.Distinct().Count());
    }

    [Fact]
    public async Task CountAsync_CountsRevokedKeysToo()
    {
        var store = await CreateStoreAsync();
        Assert.Equal(0, await store.CountAsync(Ct));
        var keys = Enumerable.Range(0, 3).Select(_ => NewKey()).ToList();
        foreach (var key in keys)
        {
            await store.CreateAsync(key, Ct);
        }

        await store.RevokeAsync(keys[0].Id, Epoch, Ct);
        Assert.Equal(3, await store.CountAsync(Ct));
    }

    [Fact]
    public async Task RevokeAsync_Unknown_ReturnsFalse()
    {
        var store = await CreateStoreAsync();
        Assert.False(await store.RevokeAsync(Guid.NewGuid(), Epoch, Ct));
        Assert.Equal(0, await store.CountAsync(Ct));
    }

    [Fact]
    public async Task RevokeAsync_SetsRevokedAtAndNewStamp()
    {
        var store = await CreateStoreAsync();
        var key = NewKey();
        await store.CreateAsync(key, Ct);

        Assert.True(await store.RevokeAsync(key.Id, Epoch.AddHours(1), Ct));

        var found = await store.FindByIdAsync(key.Id, Ct);
        Assert.Equal(Epoch.AddHours(1), found!.RevokedAt);
        Assert.NotEqual(key.ConcurrencyStamp, found.ConcurrencyStamp);
        Assert.Equal(key.ExpiresAt, found.ExpiresAt);
        Assert.Equal(key.LastUsedAt, found.LastUsedAt);
    }

    [Fact]
    public async Task RevokeAsync_LaterTime_NeverPostponesAnEarlierRevocation()
    {
        var store = await CreateStoreAsync();
        var key = NewKey();
        await store.CreateAsync(key, Ct);
        await store.RevokeAsync(key.Id, Epoch.AddHours(1), Ct);

        Assert.True(await store.RevokeAsync(key.Id, Epoch.AddHours(2), Ct));
        Assert.Equal(Epoch.AddHours(1), (await store.FindByIdAsync(key.Id, Ct))!.RevokedAt);

        Assert.True(await store.RevokeAsync(key.Id, Epoch.AddMinutes(1), Ct));
        Assert.Equal(Epoch.AddMinutes(1), (await store.FindByIdAsync(key.Id, Ct))!.RevokedAt);
    }

    [Fact]
    public async Task RevokeAsync_OneTickLater_IsStillNotApplied()
    {
        var store = await CreateStoreAsync();
        var key = NewKey();
        await store.CreateAsync(key, Ct);
        await store.RevokeAsync(key.Id, Epoch, Ct);

        await store.RevokeAsync(key.Id, Epoch.AddTicks(1), Ct);
        Assert.Equal(Epoch, (await store.FindByIdAsync(key.Id, Ct))!.RevokedAt);
        await store.RevokeAsync(key.Id, Epoch.AddTicks(-1), Ct);
        Assert.Equal(Epoch.AddTicks(-1), (await store.FindByIdAsync(key.Id, Ct))!.RevokedAt);
    }

    [Fact]
    public async Task RotateAsync_AddsReplacementSchedulesRevocationAndLinks()
    {
        var store = await CreateStoreAsync();
        var old = NewKey();
        await store.CreateAsync(old, Ct);
        var replacement = NewKey(createdAt: Epoch.AddMinutes(5));

        Assert.True(await store.RotateAsync(old.Id, Epoch.AddHours(24), replacement, Ct));

        var stored = await store.FindByIdAsync(old.Id, Ct);
        Assert.Equal(Epoch.AddHours(24), stored!.RevokedAt);
        Assert.Equal(replacement.Id, stored.ReplacedByKeyId);
        AssertSameKey(replacement, await store.FindByLookupIdAsync(replacement.LookupId, Ct));
        Assert.Equal(2, await store.CountAsync(Ct));
    }

    [Fact]
    public async Task RotateAsync_NeverPostponesAnEarlierRevocation()
    {
        var store = await CreateStoreAsync();
        var old = NewKey();
        await store.CreateAsync(old, Ct);
        await store.RevokeAsync(old.Id, Epoch.AddMinutes(1), Ct);

        Assert.True(await store.RotateAsync(old.Id, Epoch.AddHours(24), NewKey(), Ct));
        Assert.Equal(Epoch.AddMinutes(1), (await store.FindByIdAsync(old.Id, Ct))!.RevokedAt);
    }

    [Fact]
    public async Task RotateAsync_UnknownKey_ReturnsFalseAndWritesNothing()
    {
        var store = await CreateStoreAsync();
        var replacement = NewKey();

        Assert.False(await store.RotateAsync(Guid.NewGuid(), Epoch, replacement, Ct));
        Assert.Null(await store.FindByIdAsync(replacement.Id, Ct));
        Assert.Equal(0, await store.CountAsync(Ct));
    }

    [Fact]
    public async Task RotateAsync_DuplicateReplacement_ThrowsAndWritesNothing()
    {
        var store = await CreateStoreAsync();
        var old = NewKey();
        var other = NewKey();
        await store.CreateAsync(old, Ct);
        await store.CreateAsync(other, Ct);

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => store.RotateAsync(old.Id, Epoch, NewKey(lookupId: other.LookupId), Ct).AsTask());

        AssertSameKey(old, await store.FindByIdAsync(old.Id, Ct));
        Assert.Equal(2, await store.CountAsync(Ct));
    }

    [Fact]
    public async Task RecordUsageAsync_OnlyMovesForward()
    {
        var store = await CreateStoreAsync();
        var key = NewKey();
        await store.CreateAsync(key, Ct);

        await store.RecordUsageAsync([new(key.Id, Epoch.AddMinutes(10))], Ct);
        Assert.Equal(Epoch.AddMinutes(10), (await store.FindByIdAsync(key.Id, Ct))!.LastUsedAt);

        await store.RecordUsageAsync([new(key.Id, Epoch.AddMinutes(5))], Ct);
        Assert.Equal(Epoch.AddMinutes(10), (await store.FindByIdAsync(key.Id, Ct))!.LastUsedAt);

        await store.RecordUsageAsync([new(key.Id, Epoch.AddMinutes(10).AddTicks(1))], Ct);
        Assert.Equal(Epoch.AddMinutes(10).AddTicks(1), (await store.FindByIdAsync(key.Id, Ct))!.LastUsedAt);
    }

    [Fact]
    public async Task RecordUsageAsync_Batch_UpdatesEachKeyAndIgnoresUnknownIds()
    {
        var store = await CreateStoreAsync();
        var a = NewKey();
        var b = NewKey();
        await store.CreateAsync(a, Ct);
        await store.CreateAsync(b, Ct);

        await store.RecordUsageAsync(
            [new(a.Id, Epoch.AddMinutes(1)), new(b.Id, Epoch.AddMinutes(2)), new(Guid.NewGuid(), Epoch), new(a.Id, Epoch.AddMinutes(3))],
            Ct);
        await store.RecordUsageAsync([], Ct);

        Assert.Equal(Epoch.AddMinutes(3), (await store.FindByIdAsync(a.Id, Ct))!.LastUsedAt);
        Assert.Equal(Epoch.AddMinutes(2), (await store.FindByIdAsync(b.Id, Ct))!.LastUsedAt);
        Assert.Equal(2, await store.CountAsync(Ct));
    }

    [Fact]
    public async Task RecordUsageAsync_LargeBatch_UpdatesEveryKey()
    {
        var store = await CreateStoreAsync();
        var keys = Enumerable.Range(0, 250).Select(_ => NewKey()).ToList();
        foreach (var key in keys)
        {
            await store.CreateAsync(key, Ct);
        }

        await store.RecordUsageAsync([.. keys.Select((k, i) => new KeyValuePair<Guid, DateTimeOffset>(k.Id, Epoch.AddSeconds(i)))], Ct);

        for (var i = 0; i < keys.Count; i += 37)
        {
            Assert.Equal(Epoch.AddSeconds(i), (await store.FindByIdAsync(keys[i].Id, Ct))!.LastUsedAt);
        }

        Assert.Equal(Epoch.AddSeconds(249), (await store.FindByIdAsync(keys[249].Id, Ct))!.LastUsedAt);
    }

    [Fact]
    public async Task RecordUsageAsync_NeverTouchesRevocationExpiryOrStamp()
    {
        var store = await CreateStoreAsync();
        var key = NewKey();
        await store.CreateAsync(key, Ct);
        await store.RevokeAsync(key.Id, Epoch.AddMinutes(1), Ct);
        var revoked = await store.FindByIdAsync(key.Id, Ct);

        await store.RecordUsageAsync([new(key.Id, Epoch.AddDays(365))], Ct);

        var after = await store.FindByIdAsync(key.Id, Ct);
        Assert.Equal(revoked!.RevokedAt, after!.RevokedAt);
        Assert.Equal(key.ExpiresAt, after.ExpiresAt);
        Assert.Equal(revoked.ConcurrencyStamp, after.ConcurrencyStamp);
        Assert.Equal(Epoch.AddDays(365), after.LastUsedAt);
    }

    [Fact]
    public async Task ReturnedRecords_AreCopies()
    {
        var store = await CreateStoreAsync();
        var key = NewKey();
        await store.CreateAsync(key, Ct);
        var original = key.Clone();

        key.Name = "changed after create";
        key.Scopes.Add("admin:all");
        key.SecretHash[0] ^= 0xFF;
        var found = await store.FindByIdAsync(key.Id, Ct);
        found!.Name = "changed after find";
        found.Scopes.Clear();
        found.RevokedAt = Epoch;
        var listed = (await CollectAsync(store.ListAsync(0, 1, Ct), Ct)).Single();
        listed.Scopes.Add("admin:all");

        AssertSameKey(original, await store.FindByLookupIdAsync(key.LookupId, Ct));
    }

    [Fact]
    public async Task CreateAsync_FiftyInParallel_StoresFiftyDistinctKeys()
    {
        var store = await CreateStoreAsync();
        var keys = Enumerable.Range(0, 50).Select(i => NewKey(createdAt: Epoch.AddSeconds(i))).ToList();

        await Task.WhenAll(keys.Select(k => Task.Run(() => store.CreateAsync(k, Ct).AsTask(), Ct)));

        Assert.Equal(50, await store.CountAsync(Ct));
        var listed = await CollectAsync(store.ListAsync(0, 100, Ct), Ct);
        Assert.Equal(50, listed.Select(k => k.LookupId).Distinct(StringComparer.Ordinal).Count());
        foreach (var key in keys)
        {
            AssertSameKey(key, await store.FindByLookupIdAsync(key.LookupId, Ct));
        }
    }

    [Fact]
    public async Task RevokeAsync_RacingWithUsageFlushes_KeyStaysRevoked()
    {
        for (var round = 0; round < RaceRepetitions; round++)
        {
            var store = await CreateStoreAsync();
            var key = NewKey();
            await store.CreateAsync(key, Ct);
            var revokeAt = Epoch.AddMinutes(30);

            var flushes = Enumerable.Range(1, 10).Select(i => Task.Run(
                () => store.RecordUsageAsync([new(key.Id, Epoch.AddMinutes(i))], Ct).AsTask(), Ct));
            var revoke = Task.Run(() => store.RevokeAsync(key.Id, revokeAt, Ct).AsTask(), Ct);
            await Task.WhenAll([.. flushes, revoke]);

            var stored = await store.FindByIdAsync(key.Id, Ct);
            Assert.Equal(revokeAt, stored!.RevokedAt);
            Assert.Equal(Epoch.AddMinutes(10), stored.LastUsedAt);
            Assert.False(stored.IsActiveAt(Epoch.AddMinutes(31)));
        }
    }

    [Fact]
    public async Task EveryMethod_CancelledToken_Throws()
    {
        var store = await CreateStoreAsync();
        var key = NewKey();
        await store.CreateAsync(key, Ct);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var token = cts.Token;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.FindByIdAsync(key.Id, token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.FindByLookupIdAsync(key.LookupId, token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.CreateAsync(NewKey(), token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.CountAsync(token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CollectAsync(store.ListAsync(0, 10, token), token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.RevokeAsync(key.Id, Epoch, token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.RotateAsync(key.Id, Epoch, NewKey(), token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.RecordUsageAsync([new(key.Id, Epoch)], token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.UpdateLimitsAsync(key.Id, null, null, token).AsTask());

        AssertSameKey(key, await store.FindByIdAsync(key.Id, Ct));
        Assert.Equal(1, await store.CountAsync(Ct));
    }

    [Fact]
    public async Task CreateAsync_WithRateLimitAndQuota_RoundTrips()
    {
        var store = await CreateStoreAsync();
        var key = NewKey();
        key.RateLimit = new P2P.ApiKeys.RateLimiting.ApiKeyRateLimit(P2P.ApiKeys.RateLimiting.ApiKeyRateLimit.MaxLimit, TimeSpan.FromSeconds(P2P.ApiKeys.RateLimiting.ApiKeyRateLimit.MaxWindowSeconds));
        key.Quota = new P2P.ApiKeys.RateLimiting.ApiKeyQuota(P2P.ApiKeys.RateLimiting.ApiKeyQuota.MaxLimit, P2P.ApiKeys.RateLimiting.ApiKeyQuotaPeriod.Month);
        await store.CreateAsync(key, Ct);

        AssertSameKey(key, await store.FindByIdAsync(key.Id, Ct));
        AssertSameKey(key, await store.FindByLookupIdAsync(key.LookupId, Ct));
    }

    [Fact]
    public async Task UpdateLimitsAsync_SetThenRemove_TouchesOnlyTheLimits()
    {
        var store = await CreateStoreAsync();
        var key = NewKey();
        await store.CreateAsync(key, Ct);
        await store.RevokeAsync(key.Id, Epoch.AddHours(1), Ct);
        await store.RecordUsageAsync([new(key.Id, Epoch.AddMinutes(5))], Ct);
        var rateLimit = new P2P.ApiKeys.RateLimiting.ApiKeyRateLimit(100, TimeSpan.FromSeconds(60));
        var quota = new P2P.ApiKeys.RateLimiting.ApiKeyQuota(5000, P2P.ApiKeys.RateLimiting.ApiKeyQuotaPeriod.Day);

        Assert.True(await store.UpdateLimitsAsync(key.Id, rateLimit, quota, Ct));
        var updated = await store.FindByIdAsync(key.Id, Ct);
        Assert.Equal(rateLimit, updated!.RateLimit);
        Assert.Equal(quota, updated.Quota);
        Assert.Equal(Epoch.AddHours(1), updated.RevokedAt);
        Assert.Equal(Epoch.AddMinutes(5), updated.LastUsedAt);

        Assert.True(await store.UpdateLimitsAsync(key.Id, null, quota, Ct));
        var removed = await store.FindByIdAsync(key.Id, Ct);
        Assert.Null(removed!.RateLimit);
        Assert.Equal(quota, removed.Quota);
        Assert.False(await store.UpdateLimitsAsync(Guid.NewGuid(), rateLimit, null, Ct));
    }
}
