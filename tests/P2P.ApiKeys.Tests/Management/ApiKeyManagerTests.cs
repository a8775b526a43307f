using System.Net;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Tests.TestSupport;
using P2P.Tests.Shared;

namespace P2P.ApiKeys.Tests.Management;

/// <summary><see cref="IApiKeyManager"/> from plain code: no HttpContext, no admin token; its keys work on a real host.</summary>
public sealed class ApiKeyManagerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IApiKeyManager Manager(ApiKeyTestHost host) => host.Services.GetRequiredService<IApiKeyManager>();

    [Fact]
    public async Task CreateAsync_ValidRequest_ReturnsTheKeyOnceAndTheKeyAuthenticatesWithMetadataClaims()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var manager = Manager(host);

        var result = await manager.CreateAsync(new()
        {
            Name = "Acme prod",
            Owner = "customer-42",
            Scopes = ["p2p:read", "p2p:read"],
            ExpiresAt = host.Time.GetUtcNow().AddDays(30),
            Metadata = new Dictionary<string, string> { ["plan"] = "gold" },
        }, Ct);

        Assert.True(result.Succeeded);
        var created = result.Value;
        Assert.StartsWith("p2p_", created.Key, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Key, created.ToString(), StringComparison.Ordinal);
        Assert.Equal(["p2p:read"], created.Record.Scopes);
        var stored = await host.Store.FindByIdAsync(created.Record.Id, Ct);
        Assert.Equal("customer-42", stored!.Owner);
        Assert.DoesNotContain(created.Key, System.Text.Encoding.UTF8.GetString(stored.SecretHash), StringComparison.Ordinal);

        using var me = await host.GetAsync("/me", created.Key);
        var claims = await me.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Contains($"{ApiKeyClaimTypes.MetadataPrefix}plan=gold", claims, StringComparison.Ordinal);
        Assert.Contains($"{ApiKeyClaimTypes.Owner}=customer-42", claims, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindByKeyAsync_ItsOwnKey_ReturnsTheRecordWhateverItsState()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var manager = Manager(host);
        var created = (await manager.CreateAsync(new() { Name = "Found" }, Ct)).Value!;
        Assert.True((await manager.RevokeAsync(created.Record.Id, Ct)).Succeeded);

        var found = await manager.FindByKeyAsync(created.Key, Ct);

        Assert.True(found.Succeeded);
        Assert.Equal(created.Record.Id, found.Value.Id);
        Assert.NotNull(found.Value.RevokedAt);
    }

    [Fact]
    public async Task FindByKeyAsync_WrongSecretUnknownOrMalformed_NotFoundAndMalformedNeverReachesTheStore()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var manager = Manager(host);
        var created = (await manager.CreateAsync(new() { Name = "Found" }, Ct)).Value!;
        var wrongSecret = TestKeys.WithChecksum(created.Key[..17] + new string('Z', 32));
        var unknown = TestKeys.WithChecksum("p2p_" + new string('Q', 12) + "_" + new string('Z', 32));

        Assert.Equal(ApiKeyError.NotFound, (await manager.FindByKeyAsync(wrongSecret, Ct)).Error);
        Assert.Equal(ApiKeyError.NotFound, (await manager.FindByKeyAsync(unknown, Ct)).Error);
        Assert.Equal(2, host.Store.Lookups);
        foreach (var malformed in new[] { TestKeys.WithBadChecksum(created.Key), "", created.Key[..^1], "xyz" + created.Key[3..] })
        {
            Assert.Equal(ApiKeyError.NotFound, (await manager.FindByKeyAsync(malformed, Ct)).Error);
        }

        Assert.Equal(2, host.Store.Lookups);
    }

    public static TheoryData<string, ApiKeyCreateRequest> InvalidCreations() => new()
    {
        { "name", new() { Name = "" } },
        { "name", new() { Name = new string('n', 101) } },
        { "name", new() { Name = "tab\tname" } },
        { "owner", new() { Name = "k", Owner = "" } },
        { "owner", new() { Name = "k", Owner = new string('o', 257) } },
        { "owner", new() { Name = "k", Owner = "bidi\u202E" } },
        { "scopes", new() { Name = "k", Scopes = ["has space"] } },
        { "scopes", new() { Name = "k", Scopes = [""] } },
        { "scopes", new() { Name = "k", Scopes = [.. Enumerable.Range(0, 33).Select(i => $"s{i}")] } },
        { "expires_at", new() { Name = "k", ExpiresAt = ApiKeyTestHost.Start } },
        { "metadata", new() { Name = "k", Metadata = new Dictionary<string, string> { ["a b"] = "x" } } },
        { "metadata", new() { Name = "k", Metadata = new Dictionary<string, string> { [""] = "x" } } },
        { "metadata", new() { Name = "k", Metadata = new Dictionary<string, string> { [new string('m', 65)] = "x" } } },
        { "metadata", new() { Name = "k", Metadata = new Dictionary<string, string> { ["k"] = new string('v', 257) } } },
        { "metadata", new() { Name = "k", Metadata = new Dictionary<string, string> { ["k"] = "nul\0" } } },
        { "metadata", new() { Name = "k", Metadata = Enumerable.Range(0, 17).ToDictionary(i => $"k{i}", _ => "v") } },
    };

    [Theory]
    [MemberData(nameof(InvalidCreations))]
    public async Task CreateAsync_InvalidInput_ReturnsInvalidNamingTheFieldAndStoresNothing(string field, ApiKeyCreateRequest request)
    {
        await using var host = await ApiKeyTestHost.StartAsync();

        var result = await Manager(host).CreateAsync(request, Ct);

        Assert.Equal(ApiKeyError.Invalid, result.Error);
        Assert.Contains(field, result.Errors.Keys);
        Assert.Null(result.Value);
        Assert.Equal(0, await host.Store.CountAsync(Ct));
    }

    [Fact]
    public async Task CreateAsync_NoScopes_GetsTheDefaultScopes()
    {
        await using var host = await ApiKeyTestHost.StartAsync(o => o.DefaultScopes.Add("p2p:read"));

        var created = await Manager(host).CreateAsync(new() { Name = "k" }, Ct);
        var none = await Manager(host).CreateAsync(new() { Name = "k", Scopes = [] }, Ct);

        Assert.Equal(["p2p:read"], created.Value!.Record.Scopes);
        Assert.Empty(none.Value!.Record.Scopes);
    }

    [Fact]
    public async Task UpdateAsync_Disable_KeyRefusedAtOnceThenEnableAcceptsItAgain()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var manager = Manager(host);
        var created = (await manager.CreateAsync(new() { Name = "k", Scopes = ["p2p:read"] }, Ct)).Value!;
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", created.Key)).StatusCode);

        var disabled = await manager.UpdateAsync(created.Record.Id, new() { Enabled = false }, Ct);
        await ProblemAssert.IsUnauthorizedAsync(await host.GetAsync("/read", created.Key));
        var stampBefore = (await manager.GetAsync(created.Record.Id, Ct)).Value!.ConcurrencyStamp;
        var again = await manager.UpdateAsync(created.Record.Id, new() { Enabled = false }, Ct);
        var stampAfter = (await manager.GetAsync(created.Record.Id, Ct)).Value!.ConcurrencyStamp;
        var enabled = await manager.UpdateAsync(created.Record.Id, new() { Enabled = true }, Ct);

        Assert.True(disabled.Succeeded);
        Assert.False(disabled.Value.Enabled);
        Assert.True(again.Succeeded); // the current value again: a no-op, not a conflict, and nothing written
        Assert.False(again.Value.Enabled);
        Assert.Equal(stampBefore, stampAfter);
        Assert.True(enabled.Succeeded);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", created.Key)).StatusCode);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Name == "ApiKeyDisabled");
    }

    [Fact]
    public async Task UpdateAsync_ScopesAndMetadata_ChangeTheClaimsAtOnceButNeverTheKey()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var manager = Manager(host);
        var created = (await manager.CreateAsync(new() { Name = "k", Scopes = ["p2p:read"] }, Ct)).Value!;
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", created.Key)).StatusCode);

        var updated = await manager.UpdateAsync(created.Record.Id, new() { Scopes = ["p2p:write"], Metadata = new Dictionary<string, string> { ["plan"] = "free" } }, Ct);

        Assert.True(updated.Succeeded);
        Assert.Equal(created.Record.SecretHash, updated.Value.SecretHash);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.GetAsync("/read", created.Key)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/write", created.Key)).StatusCode);
    }

    [Fact]
    public async Task GetUpdateRevokeRotate_UnknownId_ReturnNotFound()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var manager = Manager(host);
        var id = Guid.NewGuid();

        Assert.Equal(ApiKeyError.NotFound, (await manager.GetAsync(id, Ct)).Error);
        Assert.Equal(ApiKeyError.NotFound, (await manager.UpdateAsync(id, new() { Name = "x" }, Ct)).Error);
        Assert.Equal(ApiKeyError.NotFound, (await manager.RevokeAsync(id, Ct)).Error);
        Assert.Equal(ApiKeyError.NotFound, (await manager.RotateAsync(id, TimeSpan.Zero, Ct)).Error);
    }

    [Fact]
    public async Task RotateAsync_TwiceInARow_EveryReplacementKeepsTheFirstKeysLineage()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var manager = Manager(host);
        var first = (await manager.CreateAsync(new() { Name = "k" }, Ct)).Value!;
        var other = (await manager.CreateAsync(new() { Name = "other" }, Ct)).Value!;

        var second = (await manager.RotateAsync(first.Record.Id, TimeSpan.FromMinutes(5), Ct)).Value!;
        var third = (await manager.RotateAsync(second.Record.Id, TimeSpan.Zero, Ct)).Value!;

        Assert.Equal(first.Record.Id, first.Record.LineageId); // a new key starts its own lineage
        Assert.Equal(other.Record.Id, other.Record.LineageId);
        Assert.Equal(first.Record.Id, second.Record.LineageId);
        Assert.Equal(first.Record.Id, third.Record.LineageId);
        Assert.Equal(first.Record.Id, (await host.Store.FindByIdAsync(third.Record.Id, Ct))!.LineageId);
        Assert.Equal(first.Record.Id, (await manager.GetAsync(second.Record.Id, Ct)).Value!.LineageId);
    }

    [Fact]
    public async Task RotateAsync_WithGrace_BothKeysWorkUntilTheGraceEndsNeverPastTheOldExpiry()
    {
        await using var host = await ApiKeyTestHost.StartAsync(o => o.CacheTtl = TimeSpan.Zero);
        var manager = Manager(host);
        var old = (await manager.CreateAsync(new() { Name = "k", Scopes = ["p2p:read"], ExpiresAt = ApiKeyTestHost.Start.AddMinutes(30), Metadata = new Dictionary<string, string> { ["plan"] = "gold" } }, Ct)).Value!;

        var rotated = await manager.RotateAsync(old.Record.Id, TimeSpan.FromHours(1), Ct);

        Assert.True(rotated.Succeeded);
        Assert.Equal(old.Record.ExpiresAt, rotated.Value.Record.ExpiresAt);
        Assert.Equal(old.Record.Metadata, rotated.Value.Record.Metadata);
        Assert.Equal(ApiKeyTestHost.Start.AddMinutes(30), (await host.Store.FindByIdAsync(old.Record.Id, Ct))!.RevokedAt);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", old.Key)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", rotated.Value.Key)).StatusCode);
        host.Time.Advance(TimeSpan.FromMinutes(30));
        await ProblemAssert.IsUnauthorizedAsync(await host.GetAsync("/read", old.Key));
        Assert.Equal(ApiKeyError.Conflict, (await manager.RotateAsync(old.Record.Id, TimeSpan.Zero, Ct)).Error);
    }

    [Fact]
    public async Task RotateAsync_NegativeGraceOrDisabledKey_IsRefusedAndWritesNothing()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var manager = Manager(host);
        var key = (await manager.CreateAsync(new() { Name = "k", Enabled = false }, Ct)).Value!;

        var negative = await manager.RotateAsync(key.Record.Id, TimeSpan.FromSeconds(-1), Ct);
        var disabled = await manager.RotateAsync(key.Record.Id, TimeSpan.Zero, Ct);

        Assert.Equal(ApiKeyError.Invalid, negative.Error);
        Assert.Contains("grace_period", negative.Errors.Keys);
        Assert.Equal(ApiKeyError.Conflict, disabled.Error);
        Assert.Equal(1, await host.Store.CountAsync(Ct));
    }

    [Fact]
    public async Task CreateAsync_WithRateLimit_StoresItAndTheKeyIsLimited()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var manager = Manager(host);
        var rateLimit = new ApiKeyRateLimit(1, TimeSpan.FromMinutes(1));
        var quota = new ApiKeyQuota(1000, ApiKeyQuotaPeriod.Day);

        var created = (await manager.CreateAsync(new() { Name = "k", Scopes = ["p2p:read"], RateLimit = rateLimit, Quota = quota }, Ct)).Value!;

        var stored = await host.Store.FindByIdAsync(created.Record.Id, Ct);
        Assert.Equal(rateLimit, stored!.RateLimit);
        Assert.Equal(quota, stored.Quota);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", created.Key)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await host.GetAsync("/read", created.Key)).StatusCode);
    }

    [Fact]
    public async Task UpdateAsync_Limits_SetKeepRemoveAndRotationCopiesThem()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var manager = Manager(host);
        var id = (await manager.CreateAsync(new() { Name = "k" }, Ct)).Value!.Record.Id;
        var rateLimit = new ApiKeyRateLimit(100, TimeSpan.FromSeconds(60));
        var quota = new ApiKeyQuota(5000, ApiKeyQuotaPeriod.Month);

        Assert.True((await manager.UpdateAsync(id, new() { RateLimit = rateLimit }, Ct)).Succeeded);
        Assert.True((await manager.UpdateAsync(id, new() { Quota = quota, Name = "renamed" }, Ct)).Succeeded);
        var both = await host.Store.FindByIdAsync(id, Ct);
        Assert.Equal(rateLimit, both!.RateLimit);
        Assert.Equal(quota, both.Quota);

        Assert.True((await manager.UpdateAsync(id, new() { RemoveRateLimit = true }, Ct)).Succeeded);
        var removed = await host.Store.FindByIdAsync(id, Ct);
        Assert.Null(removed!.RateLimit);
        Assert.Equal(quota, removed.Quota);
        Assert.Equal("renamed", removed.Name);

        var rotated = await manager.RotateAsync(id, TimeSpan.Zero, Ct);
        Assert.Null(rotated.Value!.Record.RateLimit);
        Assert.Equal(quota, rotated.Value.Record.Quota);
    }

    [Fact]
    public async Task UpdateAsync_SetAndRemoveTheSameLimit_IsInvalidAndWritesNothing()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var manager = Manager(host);
        var quota = new ApiKeyQuota(5000, ApiKeyQuotaPeriod.Day);
        var id = (await manager.CreateAsync(new() { Name = "k", Quota = quota }, Ct)).Value!.Record.Id;
        var before = (await host.Store.FindByIdAsync(id, Ct))!.ConcurrencyStamp;

        var result = await manager.UpdateAsync(
            id, new() { Name = "changed", RateLimit = new ApiKeyRateLimit(1, TimeSpan.FromSeconds(1)), RemoveRateLimit = true, Quota = quota, RemoveQuota = true }, Ct);

        Assert.Equal(ApiKeyError.Invalid, result.Error);
        Assert.Contains("rate_limit", result.Errors.Keys);
        Assert.Contains("quota", result.Errors.Keys);
        var stored = await host.Store.FindByIdAsync(id, Ct);
        Assert.Equal(before, stored!.ConcurrencyStamp);
        Assert.Equal("k", stored.Name);
        Assert.Null(stored.RateLimit);
    }

    [Fact]
    public async Task RevokeAndRotate_TenInParallel_ExactlyOneWins()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var manager = Manager(host);
        var rotating = (await manager.CreateAsync(new() { Name = "k" }, Ct)).Value!.Record.Id;
        var revoking = (await manager.CreateAsync(new() { Name = "k" }, Ct)).Value!.Record.Id;

        var rotations = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => manager.RotateAsync(rotating, TimeSpan.FromMinutes(1), Ct), Ct)));
        var revocations = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => manager.RevokeAsync(revoking, Ct), Ct)));

        Assert.Single(rotations, r => r.Succeeded);
        Assert.All(rotations.Where(r => !r.Succeeded), r => Assert.Equal(ApiKeyError.Conflict, r.Error));
        Assert.Single(revocations, r => r.Succeeded);
        Assert.All(revocations.Where(r => !r.Succeeded), r => Assert.Equal(ApiKeyError.Conflict, r.Error));
        Assert.Equal(3, await host.Store.CountAsync(Ct));
    }

    [Fact]
    public async Task RevokeAsync_AnotherRevocationCommitsWhileReading_SecondGetsConflict()
    {
        // The other revocation commits after this call started and before it reads the key, at a later time. A clock
        // read before the key would see that revocation as scheduled in the future and "bring it forward": two wins.
        await using var host = await ApiKeyTestHost.StartAsync();
        var manager = Manager(host);
        var id = (await manager.CreateAsync(new() { Name = "k" }, Ct)).Value!.Record.Id;
        ApiKeyResult<ApiKeyRecord>? other = null;
        host.Store.BeforeNextFindById = async () =>
        {
            host.Time.Advance(TimeSpan.FromSeconds(1));
            other = await manager.RevokeAsync(id, Ct);
        };

        var second = await manager.RevokeAsync(id, Ct);

        Assert.True(other!.Succeeded);
        Assert.Equal(ApiKeyError.Conflict, second.Error);
        Assert.Equal(ApiKeyTestHost.Start.AddSeconds(1), (await manager.GetAsync(id, Ct)).Value!.RevokedAt);
    }

    [Fact]
    public async Task ListAsync_PagesAndFilters()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var manager = Manager(host);
        for (var i = 0; i < 5; i++)
        {
            await manager.CreateAsync(new() { Name = $"k{i}", Owner = i % 2 == 0 ? "even" : "odd" }, Ct);
            host.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var revoked = (await manager.ListAsync(new() { Owner = "even", PageSize = 1 }, Ct)).Value!.Items.Single();
        await manager.RevokeAsync(revoked.Id, Ct);

        var evenActive = (await manager.ListAsync(new() { Owner = "even", State = ApiKeyState.Active }, Ct)).Value!;
        var page2 = (await manager.ListAsync(new() { Page = 2, PageSize = 2 }, Ct)).Value!;
        var invalid = await manager.ListAsync(new() { Page = 0, PageSize = 0 }, Ct);

        Assert.Equal("k4", revoked.Name);
        Assert.Equal(["k2", "k0"], evenActive.Items.Select(k => k.Name));
        Assert.Equal(2, evenActive.Total);
        Assert.Equal(["k2", "k1"], page2.Items.Select(k => k.Name));
        Assert.Equal(5, page2.Total);
        Assert.Equal(ApiKeyError.Invalid, invalid.Error);
        Assert.Contains("page", invalid.Errors.Keys);
        Assert.Contains("page_size", invalid.Errors.Keys);
    }
}
