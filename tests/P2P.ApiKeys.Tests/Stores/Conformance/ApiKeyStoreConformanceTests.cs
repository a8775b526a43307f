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
    public async Task CreateAsync_DuplicateLookupId_ReturnsDuplicateAndKeepsTheFirst()
    {
        var store = await CreateStoreAsync();
        var first = NewKey();
        Assert.Equal(ApiKeyStoreResult.Success, await store.CreateAsync(first, Ct));
        var second = NewKey(lookupId: first.LookupId);

        Assert.Equal(ApiKeyStoreResult.Duplicate, await store.CreateAsync(second, Ct));
        Assert.Equal(1, await store.CountAsync(Ct));
        AssertSameKey(first, await store.FindByLookupIdAsync(first.LookupId, Ct));
    }

    [Fact]
    public async Task CreateAsync_DuplicateId_ReturnsDuplicate()
    {
        var store = await CreateStoreAsync();
        var first = NewKey();
        await store.CreateAsync(first, Ct);
        var second = NewKey();
        second.Id = first.Id;

        Assert.Equal(ApiKeyStoreResult.Duplicate, await store.CreateAsync(second, Ct));
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
    public async Task UpdateAsync_Unknown_ReturnsNotFound()
    {
        var store = await CreateStoreAsync();
        Assert.Equal(ApiKeyStoreResult.NotFound, await store.UpdateAsync(NewKey(), Ct));
        Assert.Equal(0, await store.CountAsync(Ct));
    }

    [Fact]
    public async Task UpdateAsync_CurrentStamp_WritesTheMutableFieldsAndANewStamp()
    {
        var store = await CreateStoreAsync();
        var key = NewKey();
        await store.CreateAsync(key, Ct);
        var read = (await store.FindByIdAsync(key.Id, Ct))!;
        var stampRead = read.ConcurrencyStamp;
        read.Name = "Renamed";
        read.Scopes = ["p2p:admin"];
        read.Metadata = new() { ["plan"] = "gold", ["customer"] = "c-42" };
        read.Enabled = false;
        read.ExpiresAt = Epoch.AddDays(7);
        read.RevokedAt = Epoch.AddHours(1);
        read.RateLimit = new P2P.ApiKeys.RateLimiting.ApiKeyRateLimit(100, TimeSpan.FromSeconds(60));
        read.Quota = new P2P.ApiKeys.RateLimiting.ApiKeyQuota(5000, P2P.ApiKeys.RateLimiting.ApiKeyQuotaPeriod.Day);

        Assert.Equal(ApiKeyStoreResult.Success, await store.UpdateAsync(read, Ct));

        Assert.NotEqual(stampRead, read.ConcurrencyStamp);
        var stored = await store.FindByIdAsync(key.Id, Ct);
        AssertSameKey(read, stored);
        Assert.Equal(key.SecretHash, stored!.SecretHash);
        Assert.Equal(key.LookupId, stored.LookupId);
    }

    [Fact]
    public async Task UpdateAsync_StaleStamp_ReturnsConflictAndWritesNothing()
    {
        var store = await CreateStoreAsync();
        var key = NewKey();
        await store.CreateAsync(key, Ct);
        var first = (await store.FindByIdAsync(key.Id, Ct))!;
        var second = (await store.FindByIdAsync(key.Id, Ct))!;
        first.Name = "First";
        second.Name = "Second";

        Assert.Equal(ApiKeyStoreResult.Success, await store.UpdateAsync(first, Ct));
        Assert.Equal(ApiKeyStoreResult.Conflict, await store.UpdateAsync(second, Ct));
        AssertSameKey(first, await store.FindByIdAsync(key.Id, Ct));
    }

    [Fact]
    public async Task UpdateAsync_NeverTouchesLastUsed()
    {
        var store = await CreateStoreAsync();
        var key = NewKey();
        await store.CreateAsync(key, Ct);
        var read = (await store.FindByIdAsync(key.Id, Ct))!;
        await store.RecordUsageAsync([new(key.Id, Epoch.AddMinutes(3))], Ct);

        read.RevokedAt = Epoch.AddMinutes(5);
        Assert.Equal(ApiKeyStoreResult.Success, await store.UpdateAsync(read, Ct));
        Assert.Equal(Epoch.AddMinutes(3), (await store.FindByIdAsync(key.Id, Ct))!.LastUsedAt);
    }

    [Fact]
    public async Task CreateAsync_MetadataAndDisabled_RoundTrip()
    {
        var store = await CreateStoreAsync();
        var key = NewKey();
        key.Metadata = new() { ["customer"] = "c-42", ["plan"] = "gold: \"quoted\" é ✓", ["empty"] = "" };
        key.Enabled = false;
        await store.CreateAsync(key, Ct);

        AssertSameKey(key, await store.FindByIdAsync(key.Id, Ct));
        AssertSameKey(key, await store.FindByLookupIdAsync(key.LookupId, Ct));
        AssertSameKey(key, (await CollectAsync(store.ListAsync(0, 10, Ct), Ct)).Single());
    }

    [Fact]
    public async Task ListAndCount_FilterByOwnerAndState_SeeTheSameKeys()
    {
        var store = await CreateStoreAsync();
        var now = Epoch.AddDays(1);
        var active = NewKey(createdAt: Epoch.AddMinutes(1));
        var grace = NewKey(createdAt: Epoch.AddMinutes(2));
        grace.RevokedAt = now.AddHours(1);
        var revoked = NewKey(createdAt: Epoch.AddMinutes(3));
        revoked.RevokedAt = now.AddTicks(-1);
        var expired = NewKey(createdAt: Epoch.AddMinutes(4));
        expired.ExpiresAt = now;
        var revokedAndExpired = NewKey(createdAt: Epoch.AddMinutes(5));
        revokedAndExpired.RevokedAt = now.AddHours(-2);
        revokedAndExpired.ExpiresAt = now.AddHours(-1);
        var disabled = NewKey(createdAt: Epoch.AddMinutes(6));
        disabled.Enabled = false;
        var bobs = NewKey(createdAt: Epoch.AddMinutes(7));
        bobs.Owner = "bob";
        var noOwner = NewKey(createdAt: Epoch.AddMinutes(8));
        noOwner.Owner = null;
        foreach (var key in new[] { active, grace, revoked, expired, revokedAndExpired, disabled, bobs, noOwner })
        {
            await store.CreateAsync(key, Ct);
        }

        async Task<List<Guid>> Ids(ApiKeyFilter filter)
        {
            var listed = (await CollectAsync(store.ListAsync(filter, 0, 100, Ct), Ct)).Select(k => k.Id).ToList();
            Assert.Equal(listed.Count, await store.CountAsync(filter, Ct));
            return listed;
        }

        Assert.Equal([noOwner.Id, bobs.Id, disabled.Id, grace.Id, active.Id], await Ids(new() { State = ApiKeyState.Active, AsOf = now }));
        Assert.Equal([revokedAndExpired.Id, revoked.Id], await Ids(new() { State = ApiKeyState.Revoked, AsOf = now }));
        Assert.Equal([expired.Id], await Ids(new() { State = ApiKeyState.Expired, AsOf = now }));
        Assert.Equal([bobs.Id], await Ids(new() { Owner = "bob" }));
        Assert.Equal([bobs.Id], await Ids(new() { Owner = "bob", State = ApiKeyState.Active, AsOf = now }));
        Assert.Empty(await Ids(new() { Owner = "BOB" }));
        Assert.Equal(6, (await Ids(new() { Owner = "admin" })).Count);
        Assert.Equal(8, (await Ids(ApiKeyFilter.All)).Count);
        Assert.Equal([expired.Id, revoked.Id], (await CollectAsync(store.ListAsync(new() { Owner = "admin", State = null }, 2, 2, Ct), Ct)).Select(k => k.Id));
    }

    [Fact]
    public async Task CreateAsync_LineageId_IsStoredAndAnUnsetOneReadsAsTheKeysOwnId()
    {
        var store = await CreateStoreAsync();
        var root = NewKey();
        var replacement = NewKey(createdAt: Epoch.AddMinutes(1));
        replacement.LineageId = root.Id;
        await store.CreateAsync(root, Ct);
        await store.CreateAsync(replacement, Ct);

        Assert.Equal(root.Id, (await store.FindByIdAsync(root.Id, Ct))!.LineageId);
        Assert.Equal(root.Id, (await store.FindByIdAsync(replacement.Id, Ct))!.LineageId);
        Assert.Equal(root.Id, (await store.FindByLookupIdAsync(replacement.LookupId, Ct))!.LineageId);
    }

    [Fact]
    public async Task RotateAsync_AddsReplacementSchedulesRevocationAndLinks()
    {
        var store = await CreateStoreAsync();
        var old = NewKey();
        await store.CreateAsync(old, Ct);
        var replacement = NewKey(createdAt: Epoch.AddMinutes(5));
        var read = (await store.FindByIdAsync(old.Id, Ct))!;
        var stampRead = read.ConcurrencyStamp;
        read.RevokedAt = Epoch.AddHours(24);
        read.ReplacedByKeyId = replacement.Id;

        Assert.Equal(ApiKeyStoreResult.Success, await store.RotateAsync(read, replacement, Ct));

        Assert.NotEqual(stampRead, read.ConcurrencyStamp);
        var stored = await store.FindByIdAsync(old.Id, Ct);
        Assert.Equal(Epoch.AddHours(24), stored!.RevokedAt);
        Assert.Equal(replacement.Id, stored.ReplacedByKeyId);
        Assert.Equal(read.ConcurrencyStamp, stored.ConcurrencyStamp);
        AssertSameKey(replacement, await store.FindByLookupIdAsync(replacement.LookupId, Ct));
        Assert.Equal(2, await store.CountAsync(Ct));
    }

    [Fact]
    public async Task RotateAsync_AlreadyRotated_ReturnsConflictAndWritesNothing()
    {
        var store = await CreateStoreAsync();
        var old = NewKey();
        await store.CreateAsync(old, Ct);
        var read = (await store.FindByIdAsync(old.Id, Ct))!;
        var first = NewKey();
        read.ReplacedByKeyId = first.Id;
        Assert.Equal(ApiKeyStoreResult.Success, await store.RotateAsync(read, first, Ct));

        // Even with the current stamp, a key that has a replacement is never rotated again.
        var again = (await store.FindByIdAsync(old.Id, Ct))!;
        var second = NewKey();
        again.ReplacedByKeyId = second.Id;
        Assert.Equal(ApiKeyStoreResult.Conflict, await store.RotateAsync(again, second, Ct));
        Assert.Null(await store.FindByIdAsync(second.Id, Ct));
        Assert.Equal(first.Id, (await store.FindByIdAsync(old.Id, Ct))!.ReplacedByKeyId);
    }

    [Fact]
    public async Task RotateAsync_StaleStamp_ReturnsConflictAndWritesNothing()
    {
        var store = await CreateStoreAsync();
        var old = NewKey();
        await store.CreateAsync(old, Ct);
        var stale = (await store.FindByIdAsync(old.Id, Ct))!;
        Assert.Equal(ApiKeyStoreResult.Success, await store.RevokeAsync(old.Id, Epoch.AddMinutes(1), Ct));
        var replacement = NewKey();
        stale.RevokedAt = Epoch.AddHours(24);
        stale.ReplacedByKeyId = replacement.Id;

        Assert.Equal(ApiKeyStoreResult.Conflict, await store.RotateAsync(stale, replacement, Ct));
        Assert.Null(await store.FindByIdAsync(replacement.Id, Ct));
        var stored = await store.FindByIdAsync(old.Id, Ct);
        Assert.Equal(Epoch.AddMinutes(1), stored!.RevokedAt);
        Assert.Null(stored.ReplacedByKeyId);
    }

    [Fact]
    public async Task RotateAsync_UnknownKey_ReturnsNotFoundAndWritesNothing()
    {
        var store = await CreateStoreAsync();
        var replacement = NewKey();

        Assert.Equal(ApiKeyStoreResult.NotFound, await store.RotateAsync(NewKey(), replacement, Ct));
        Assert.Null(await store.FindByIdAsync(replacement.Id, Ct));
        Assert.Equal(0, await store.CountAsync(Ct));
    }

    [Fact]
    public async Task RotateAsync_DuplicateReplacement_ReturnsDuplicateAndWritesNothing()
    {
        var store = await CreateStoreAsync();
        var old = NewKey();
        var other = NewKey();
        await store.CreateAsync(old, Ct);
        await store.CreateAsync(other, Ct);
        var read = (await store.FindByIdAsync(old.Id, Ct))!;
        var replacement = NewKey(lookupId: other.LookupId);
        read.RevokedAt = Epoch;
        read.ReplacedByKeyId = replacement.Id;

        Assert.Equal(ApiKeyStoreResult.Duplicate, await store.RotateAsync(read, replacement, Ct));

        AssertSameKey(old, await store.FindByIdAsync(old.Id, Ct));
        Assert.Equal(2, await store.CountAsync(Ct));
    }

    [Fact]
    public async Task RotateAsync_TenInParallel_ExactlyOneWins()
    {
        for (var round = 0; round < RaceRepetitions; round++)
        {
            var store = await CreateStoreAsync();
            var old = NewKey();
            await store.CreateAsync(old, Ct);
            var read = (await store.FindByIdAsync(old.Id, Ct))!;
            var replacements = Enumerable.Range(0, 10).Select(_ => NewKey()).ToList();

            var results = await Task.WhenAll(replacements.Select(r => Task.Run(
                async () =>
                {
                    var mine = read.Clone();
                    mine.RevokedAt = Epoch.AddHours(1);
                    mine.ReplacedByKeyId = r.Id;
                    return await store.RotateAsync(mine, r, Ct);
                },
                Ct)));

            Assert.Equal(1, results.Count(r => r == ApiKeyStoreResult.Success));
            Assert.Equal(9, results.Count(r => r == ApiKeyStoreResult.Conflict));
            var winner = replacements[Array.IndexOf(results, ApiKeyStoreResult.Success)];
            Assert.Equal(winner.Id, (await store.FindByIdAsync(old.Id, Ct))!.ReplacedByKeyId);
            Assert.Equal(2, await store.CountAsync(Ct));
        }
    }

    [Fact]
    public async Task RotateAsync_RacingARevocation_NeverLeavesALiveReplacementOfARevokedKey()
    {
        for (var round = 0; round < RaceRepetitions; round++)
        {
            var store = await CreateStoreAsync();
            var old = NewKey();
            await store.CreateAsync(old, Ct);
            var read = (await store.FindByIdAsync(old.Id, Ct))!;
            var replacement = NewKey();
            var rotating = read.Clone();
            rotating.RevokedAt = Epoch.AddHours(1);
            rotating.ReplacedByKeyId = replacement.Id;
            var revoking = read.Clone();
            revoking.RevokedAt = Epoch;

            var rotate = Task.Run(() => store.RotateAsync(rotating, replacement, Ct).AsTask(), Ct);
            var revoke = Task.Run(() => store.UpdateAsync(revoking, Ct).AsTask(), Ct);
            var results = await Task.WhenAll(rotate, revoke);

            Assert.Equal(1, results.Count(r => r == ApiKeyStoreResult.Success));
            var stored = await store.FindByIdAsync(old.Id, Ct);
            if (results[1] == ApiKeyStoreResult.Success)
            {
                Assert.Equal(Epoch, stored!.RevokedAt);
                Assert.Null(stored.ReplacedByKeyId);
                Assert.Null(await store.FindByIdAsync(replacement.Id, Ct));
            }
            else
            {
                Assert.Equal(replacement.Id, stored!.ReplacedByKeyId);
                Assert.Equal(Epoch.AddHours(1), stored.RevokedAt);
            }
        }
    }

    [Fact]
    public async Task UpdateAsync_TenInParallel_ExactlyOneWins()
    {
        for (var round = 0; round < RaceRepetitions; round++)
        {
            var store = await CreateStoreAsync();
            var key = NewKey();
            await store.CreateAsync(key, Ct);
            var read = (await store.FindByIdAsync(key.Id, Ct))!;

            var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(
                async () =>
                {
                    var mine = read.Clone();
                    mine.RevokedAt = Epoch.AddMinutes(i);
                    return await store.UpdateAsync(mine, Ct);
                },
                Ct)));

            Assert.Equal(1, results.Count(r => r == ApiKeyStoreResult.Success));
            Assert.Equal(9, results.Count(r => r == ApiKeyStoreResult.Conflict));
            Assert.Equal(Epoch.AddMinutes(Array.IndexOf(results, ApiKeyStoreResult.Success)), (await store.FindByIdAsync(key.Id, Ct))!.RevokedAt);
        }
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
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.UpdateAsync(key.Clone(), token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.RotateAsync(key.Clone(), NewKey(), token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.RecordUsageAsync([new(key.Id, Epoch)], token).AsTask());

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
    public async Task CreateAsync_WithLargestGcraRateLimit_RoundTrips()
    {
        var store = await CreateStoreAsync();
        var key = NewKey();
        var window = TimeSpan.FromSeconds(P2P.ApiKeys.RateLimiting.ApiKeyRateLimit.MaxWindowSeconds);
        var burst = (P2P.ApiKeys.RateLimiting.ApiKeyRateLimit.MaxGcraScaledCapacity - 1_000_000_000) / (long)window.TotalMilliseconds;
        key.RateLimit = new P2P.ApiKeys.RateLimiting.ApiKeyRateLimit(
            P2P.ApiKeys.RateLimiting.ApiKeyRateLimit.MaxLimit, window, P2P.ApiKeys.RateLimiting.ApiKeyRateLimitAlgorithm.Gcra, burst);
        await store.CreateAsync(key, Ct);

        var read = await store.FindByIdAsync(key.Id, Ct);
        Assert.Equal(key.RateLimit, read!.RateLimit);
        Assert.Equal(P2P.ApiKeys.RateLimiting.ApiKeyRateLimitAlgorithm.Gcra, read.RateLimit!.Algorithm);
        Assert.Equal(burst, read.RateLimit.Burst);
    }

    [Theory]
    [InlineData(P2P.ApiKeys.RateLimiting.ApiKeyQuotaPeriod.Week, 1)]
    [InlineData(P2P.ApiKeys.RateLimiting.ApiKeyQuotaPeriod.Week, 7)]
    [InlineData(P2P.ApiKeys.RateLimiting.ApiKeyQuotaPeriod.Month, 28)]
    public async Task CreateAsync_WithAnchoredQuota_RoundTrips(P2P.ApiKeys.RateLimiting.ApiKeyQuotaPeriod period, int anchor)
    {
        var store = await CreateStoreAsync();
        var key = NewKey();
        key.Quota = new P2P.ApiKeys.RateLimiting.ApiKeyQuota(P2P.ApiKeys.RateLimiting.ApiKeyQuota.MaxLimit, period, anchor);
        await store.CreateAsync(key, Ct);

        Assert.Equal(key.Quota, (await store.FindByIdAsync(key.Id, Ct))!.Quota);
    }

    [Fact]
    public async Task UpdateAsync_LimitsSetThenRemoved_KeepsTheOtherFields()
    {
        var store = await CreateStoreAsync();
        var key = NewKey();
        await store.CreateAsync(key, Ct);
        await store.RevokeAsync(key.Id, Epoch.AddHours(1), Ct);
        await store.RecordUsageAsync([new(key.Id, Epoch.AddMinutes(5))], Ct);
        var rateLimit = new P2P.ApiKeys.RateLimiting.ApiKeyRateLimit(100, TimeSpan.FromSeconds(60));
        var quota = new P2P.ApiKeys.RateLimiting.ApiKeyQuota(5000, P2P.ApiKeys.RateLimiting.ApiKeyQuotaPeriod.Day);

        Assert.Equal(ApiKeyStoreResult.Success, await store.SetLimitsAsync(key.Id, rateLimit, quota, Ct));
        var updated = await store.FindByIdAsync(key.Id, Ct);
        Assert.Equal(rateLimit, updated!.RateLimit);
        Assert.Equal(quota, updated.Quota);
        Assert.Equal(Epoch.AddHours(1), updated.RevokedAt);
        Assert.Equal(Epoch.AddMinutes(5), updated.LastUsedAt);

        Assert.Equal(ApiKeyStoreResult.Success, await store.SetLimitsAsync(key.Id, null, quota, Ct));
        var removed = await store.FindByIdAsync(key.Id, Ct);
        Assert.Null(removed!.RateLimit);
        Assert.Equal(quota, removed.Quota);
        Assert.Equal(ApiKeyStoreResult.NotFound, await store.SetLimitsAsync(Guid.NewGuid(), rateLimit, null, Ct));
    }

    [Fact]
    public async Task UpdateAsync_LimitsWithStaleStamp_ReturnsConflictAndWritesNothing()
    {
        var store = await CreateStoreAsync();
        var key = NewKey();
        await store.CreateAsync(key, Ct);
        var first = (await store.FindByIdAsync(key.Id, Ct))!;
        var second = (await store.FindByIdAsync(key.Id, Ct))!;
        first.Name = "First";
        second.RateLimit = new P2P.ApiKeys.RateLimiting.ApiKeyRateLimit(1, TimeSpan.FromSeconds(1));
        second.Quota = new P2P.ApiKeys.RateLimiting.ApiKeyQuota(1, P2P.ApiKeys.RateLimiting.ApiKeyQuotaPeriod.Month);

        Assert.Equal(ApiKeyStoreResult.Success, await store.UpdateAsync(first, Ct));
        Assert.Equal(ApiKeyStoreResult.Conflict, await store.UpdateAsync(second, Ct));
        var stored = await store.FindByIdAsync(key.Id, Ct);
        AssertSameKey(first, stored);
        Assert.Null(stored!.RateLimit);
        Assert.Null(stored.Quota);
    }
}
