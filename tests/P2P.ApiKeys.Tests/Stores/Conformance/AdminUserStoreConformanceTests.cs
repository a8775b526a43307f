using P2P.ApiKeys.Stores;
using static P2P.ApiKeys.Tests.Stores.Conformance.StoreTestData;

namespace P2P.ApiKeys.Tests.Stores.Conformance;

/// <summary>The <see cref="IAdminUserStore"/> contract, one test per rule.</summary>
public abstract class AdminUserStoreConformanceTests
{
    /// <summary>Returns a new, empty store; may be called several times in one test.</summary>
    protected abstract Task<IAdminUserStore> CreateStoreAsync();

    /// <summary>How many times the race tests repeat, each on a fresh store.</summary>
    protected virtual int RaceRepetitions => 20;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateAsync_ThenFind_ReturnsEveryField()
    {
        var store = await CreateStoreAsync();
        var admin = NewAdmin("alice");
        admin.FailedLoginCount = 3;
        admin.LockoutEndsAt = Epoch.AddMinutes(15).ToOffset(TimeSpan.FromHours(1));

        Assert.Equal(ApiKeyStoreResult.Success, await store.CreateAsync(admin, onlyIfNoAdminExists: false, Ct));

        AssertSameAdmin(admin, await store.FindByIdAsync(admin.Id, Ct));
        AssertSameAdmin(admin, await store.FindByNormalizedUserNameAsync("ALICE", Ct));
        Assert.Equal(Epoch.AddMinutes(15), (await store.FindByIdAsync(admin.Id, Ct))!.LockoutEndsAt);
    }

    [Fact]
    public async Task FindAsync_Unknown_ReturnsNull()
    {
        var store = await CreateStoreAsync();
        await store.CreateAsync(NewAdmin("alice"), false, Ct);

        Assert.Null(await store.FindByIdAsync(Guid.NewGuid(), Ct));
        Assert.Null(await store.FindByNormalizedUserNameAsync("BOB", Ct));
        Assert.Null(await store.FindByNormalizedUserNameAsync("alice", Ct));
    }

    [Fact]
    public async Task CreateAsync_DuplicateNormalizedUserName_ReturnsDuplicate()
    {
        var store = await CreateStoreAsync();
        await store.CreateAsync(NewAdmin("alice"), false, Ct);

        Assert.Equal(ApiKeyStoreResult.Duplicate, await store.CreateAsync(NewAdmin("Alice"), false, Ct));
        Assert.Equal(1, await store.CountAsync(Ct));
    }

    [Fact]
    public async Task CreateAsync_Bootstrap_OnEmptyStore_Creates()
    {
        var store = await CreateStoreAsync();
        var admin = NewAdmin("first");

        Assert.Equal(ApiKeyStoreResult.Success, await store.CreateAsync(admin, onlyIfNoAdminExists: true, Ct));
        AssertSameAdmin(admin, await store.FindByIdAsync(admin.Id, Ct));
    }

    [Fact]
    public async Task CreateAsync_Bootstrap_WhenAnAdminExists_IsRefused()
    {
        var store = await CreateStoreAsync();
        await store.CreateAsync(NewAdmin("first"), onlyIfNoAdminExists: true, Ct);
        var second = NewAdmin("second");

        Assert.Equal(ApiKeyStoreResult.Conflict, await store.CreateAsync(second, onlyIfNoAdminExists: true, Ct));
        Assert.Null(await store.FindByIdAsync(second.Id, Ct));
        Assert.Equal(1, await store.CountAsync(Ct));
    }

    [Fact]
    public async Task CreateAsync_Bootstrap_AfterAdminAddedWithoutBootstrap_IsRefused()
    {
        var store = await CreateStoreAsync();
        await store.CreateAsync(NewAdmin("seeded"), onlyIfNoAdminExists: false, Ct);

        Assert.Equal(ApiKeyStoreResult.Conflict, await store.CreateAsync(NewAdmin("intruder"), onlyIfNoAdminExists: true, Ct));
        Assert.Equal(1, await store.CountAsync(Ct));
    }

    [Fact]
    public async Task CreateAsync_NotBootstrap_WhenAdminsExist_Creates()
    {
        var store = await CreateStoreAsync();
        await store.CreateAsync(NewAdmin("first"), onlyIfNoAdminExists: true, Ct);

        Assert.Equal(ApiKeyStoreResult.Success, await store.CreateAsync(NewAdmin("second"), onlyIfNoAdminExists: false, Ct));
        Assert.Equal(2, await store.CountAsync(Ct));
    }

    [Fact]
    public async Task CreateAsync_ParallelBootstraps_CreateExactlyOneAdmin()
    {
        for (var round = 0; round < RaceRepetitions; round++)
        {
            var store = await CreateStoreAsync();
            var contenders = Enumerable.Range(0, 4).Select(i => NewAdmin($"admin{i}")).ToList();

            var results = await Task.WhenAll(contenders.Select(
                a => Task.Run(() => store.CreateAsync(a, onlyIfNoAdminExists: true, Ct).AsTask(), Ct)));

            Assert.Equal(1, results.Count(r => r == ApiKeyStoreResult.Success));
            Assert.All(results.Where(r => r != ApiKeyStoreResult.Success), r => Assert.Equal(ApiKeyStoreResult.Conflict, r));
            Assert.Equal(1, await store.CountAsync(Ct));
        }
    }

    [Fact]
    public async Task ListAsync_ReturnsOldestFirstInPages()
    {
        var store = await CreateStoreAsync();
        var admins = Enumerable.Range(0, 5).Select(i => NewAdmin($"admin{i}", Epoch.AddMinutes(i))).ToList();
        foreach (var admin in admins.OrderBy(_ => Random.Shared.Next()))
        {
            await store.CreateAsync(admin, false, Ct);
        }

        var expected = admins.Select(a => a.Id).ToList();
        Assert.Equal(expected, (await CollectAsync(store.ListAsync(0, 10, Ct), Ct)).Select(a => a.Id));
        Assert.Equal(expected.Skip(2).Take(2), (await CollectAsync(store.ListAsync(2, 2, Ct), Ct)).Select(a => a.Id));
        Assert.Equal(5, await store.CountAsync(Ct));
    }

    [Fact]
    public async Task UpdateAsync_CurrentStamp_SavesAndIssuesNewStamp()
    {
        var store = await CreateStoreAsync();
        var admin = NewAdmin("alice");
        await store.CreateAsync(admin, true, Ct);
        var loaded = await store.FindByIdAsync(admin.Id, Ct);
        var oldStamp = loaded!.ConcurrencyStamp;

        loaded.PasswordHash = "new-hash";
        loaded.SecurityStamp = Guid.NewGuid().ToString("N");
        loaded.FailedLoginCount = 2;
        loaded.LockoutEndsAt = Epoch.AddMinutes(1);
        Assert.Equal(ApiKeyStoreResult.Success, await store.UpdateAsync(loaded, Ct));

        Assert.NotEqual(oldStamp, loaded.ConcurrencyStamp);
        AssertSameAdmin(loaded, await store.FindByIdAsync(admin.Id, Ct));
    }

    [Fact]
    public async Task UpdateAsync_StaleStamp_ReturnsFalseAndChangesNothing()
    {
        var store = await CreateStoreAsync();
        var admin = NewAdmin("alice");
        await store.CreateAsync(admin, true, Ct);
        var first = await store.FindByIdAsync(admin.Id, Ct);
        var second = await store.FindByIdAsync(admin.Id, Ct);

        first!.FailedLoginCount = 1;
        Assert.Equal(ApiKeyStoreResult.Success, await store.UpdateAsync(first, Ct));
        second!.PasswordHash = "lost-update";
        var staleStamp = second.ConcurrencyStamp;

        Assert.Equal(ApiKeyStoreResult.Conflict, await store.UpdateAsync(second, Ct));
        Assert.Equal(staleStamp, second.ConcurrencyStamp);
        AssertSameAdmin(first, await store.FindByIdAsync(admin.Id, Ct));
    }

    [Fact]
    public async Task UpdateAsync_Unknown_ReturnsFalse()
    {
        var store = await CreateStoreAsync();
        await store.CreateAsync(NewAdmin("alice"), true, Ct);

        Assert.Equal(ApiKeyStoreResult.NotFound, await store.UpdateAsync(NewAdmin("ghost"), Ct));
        Assert.Equal(1, await store.CountAsync(Ct));
    }

    [Fact]
    public async Task UpdateAsync_ParallelWithSameStamp_ExactlyOneWins()
    {
        var store = await CreateStoreAsync();
        var admin = NewAdmin("alice");
        await store.CreateAsync(admin, true, Ct);
        var copies = new List<AdminUser>();
        for (var i = 0; i < 5; i++)
        {
            var copy = await store.FindByIdAsync(admin.Id, Ct);
            copy!.FailedLoginCount = i + 1;
            copies.Add(copy);
        }

        var results = await Task.WhenAll(copies.Select(c => Task.Run(() => store.UpdateAsync(c, Ct).AsTask(), Ct)));

        Assert.Equal(1, results.Count(r => r == ApiKeyStoreResult.Success));
        Assert.All(results, r => Assert.NotEqual(ApiKeyStoreResult.NotFound, r));
        var winner = copies[Array.IndexOf(results, ApiKeyStoreResult.Success)];
        AssertSameAdmin(winner, await store.FindByIdAsync(admin.Id, Ct));
    }

    [Fact]
    public async Task TryUpdateLoginFailuresAsync_FromCurrentState_SetsOnlyThoseFieldsAndANewStamp()
    {
        var store = await CreateStoreAsync();
        var admin = NewAdmin("alice");
        await store.CreateAsync(admin, true, Ct);
        var before = await store.FindByIdAsync(admin.Id, Ct);

        Assert.Equal(ApiKeyStoreResult.Success, await store.TryUpdateLoginFailuresAsync(admin.Id, 0, null, 5, Epoch.AddMinutes(1), Ct));

        var after = await store.FindByIdAsync(admin.Id, Ct);
        Assert.Equal(5, after!.FailedLoginCount);
        Assert.Equal(Epoch.AddMinutes(1), after.LockoutEndsAt);
        Assert.NotEqual(before!.ConcurrencyStamp, after.ConcurrencyStamp);
        Assert.Equal(before.PasswordHash, after.PasswordHash);
        Assert.Equal(before.SecurityStamp, after.SecurityStamp);

        // An update made from the copy read before cannot undo the counted failures.
        before.FailedLoginCount = 0;
        Assert.Equal(ApiKeyStoreResult.Conflict, await store.UpdateAsync(before, Ct));

        Assert.Equal(ApiKeyStoreResult.Success, await store.TryUpdateLoginFailuresAsync(admin.Id, 5, Epoch.AddMinutes(1).ToOffset(TimeSpan.FromHours(2)), 0, null, Ct));
        var cleared = await store.FindByIdAsync(admin.Id, Ct);
        Assert.Equal(0, cleared!.FailedLoginCount);
        Assert.Null(cleared.LockoutEndsAt);
    }

    [Fact]
    public async Task TryUpdateLoginFailuresAsync_StaleOrUnknown_ReturnsFalseAndChangesNothing()
    {
        var store = await CreateStoreAsync();
        var admin = NewAdmin("alice");
        await store.CreateAsync(admin, true, Ct);
        Assert.Equal(ApiKeyStoreResult.Success, await store.TryUpdateLoginFailuresAsync(admin.Id, 0, null, 4, null, Ct));
        var stored = await store.FindByIdAsync(admin.Id, Ct);

        Assert.Equal(ApiKeyStoreResult.Conflict, await store.TryUpdateLoginFailuresAsync(admin.Id, 3, null, 4, null, Ct));
        Assert.Equal(ApiKeyStoreResult.Conflict, await store.TryUpdateLoginFailuresAsync(admin.Id, 4, Epoch, 5, Epoch.AddMinutes(1), Ct));
        Assert.Equal(ApiKeyStoreResult.NotFound, await store.TryUpdateLoginFailuresAsync(Guid.NewGuid(), 0, null, 1, null, Ct));

        AssertSameAdmin(stored!, await store.FindByIdAsync(admin.Id, Ct));
    }

    [Fact]
    public async Task TryUpdateLoginFailuresAsync_ParallelFromSameState_ExactlyOneWins()
    {
        for (var repetition = 0; repetition < RaceRepetitions; repetition++)
        {
            var store = await CreateStoreAsync();
            var admin = NewAdmin("alice");
            await store.CreateAsync(admin, true, Ct);
            Assert.Equal(ApiKeyStoreResult.Success, await store.TryUpdateLoginFailuresAsync(admin.Id, 0, null, 4, Epoch, Ct));

            var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
                Task.Run(() => store.TryUpdateLoginFailuresAsync(admin.Id, 4, Epoch, 5, Epoch.AddSeconds(30 + i), Ct).AsTask(), Ct)));

            Assert.Equal(1, results.Count(r => r == ApiKeyStoreResult.Success));
            Assert.Equal(7, results.Count(r => r == ApiKeyStoreResult.Conflict));
            var stored = await store.FindByIdAsync(admin.Id, Ct);
            Assert.Equal(5, stored!.FailedLoginCount);
            Assert.Equal(Epoch.AddSeconds(30 + Array.IndexOf(results, ApiKeyStoreResult.Success)), stored.LockoutEndsAt);
        }
    }

    [Fact]
    public async Task DeleteAsync_Unknown_ReturnsNotFound()
    {
        var store = await CreateStoreAsync();
        Assert.Equal(ApiKeyStoreResult.NotFound, await store.DeleteAsync(Guid.NewGuid(), Ct));
        await store.CreateAsync(NewAdmin("alice"), true, Ct);
        Assert.Equal(ApiKeyStoreResult.NotFound, await store.DeleteAsync(Guid.NewGuid(), Ct));
    }

    [Fact]
    public async Task DeleteAsync_UnknownOnEmptyStore_DoesNotCloseTheBootstrap()
    {
        var store = await CreateStoreAsync();
        Assert.Equal(ApiKeyStoreResult.NotFound, await store.DeleteAsync(Guid.NewGuid(), Ct));

        Assert.Equal(ApiKeyStoreResult.Success, await store.CreateAsync(NewAdmin("first"), onlyIfNoAdminExists: true, Ct));
    }

    [Fact]
    public async Task DeleteAsync_LastAdmin_IsRefused()
    {
        var store = await CreateStoreAsync();
        var admin = NewAdmin("alice");
        await store.CreateAsync(admin, true, Ct);

        Assert.Equal(ApiKeyStoreResult.Conflict, await store.DeleteAsync(admin.Id, Ct));
        Assert.NotNull(await store.FindByIdAsync(admin.Id, Ct));
    }

    [Fact]
    public async Task DeleteAsync_OneOfTwo_DeletesThenRefusesTheLast()
    {
        var store = await CreateStoreAsync();
        var alice = NewAdmin("alice");
        var bob = NewAdmin("bob");
        await store.CreateAsync(alice, true, Ct);
        await store.CreateAsync(bob, false, Ct);

        Assert.Equal(ApiKeyStoreResult.Success, await store.DeleteAsync(alice.Id, Ct));
        Assert.Null(await store.FindByIdAsync(alice.Id, Ct));
        Assert.Equal(ApiKeyStoreResult.Conflict, await store.DeleteAsync(bob.Id, Ct));
        Assert.Equal(1, await store.CountAsync(Ct));
    }

    [Fact]
    public async Task DeleteAsync_TwoAdminsDeletedInParallel_OneAlwaysRemains()
    {
        for (var round = 0; round < RaceRepetitions; round++)
        {
            var store = await CreateStoreAsync();
            var admins = new[] { NewAdmin("alice"), NewAdmin("bob"), NewAdmin("carol") };
            await store.CreateAsync(admins[0], true, Ct);
            await store.CreateAsync(admins[1], false, Ct);
            await store.CreateAsync(admins[2], false, Ct);

            var results = await Task.WhenAll(admins.Select(a => Task.Run(() => store.DeleteAsync(a.Id, Ct).AsTask(), Ct)));

            Assert.Equal(2, results.Count(r => r == ApiKeyStoreResult.Success));
            Assert.Equal(1, results.Count(r => r == ApiKeyStoreResult.Conflict));
            Assert.Equal(1, await store.CountAsync(Ct));
        }
    }

    [Fact]
    public async Task ReturnedRecords_AreCopies()
    {
        var store = await CreateStoreAsync();
        var admin = NewAdmin("alice");
        await store.CreateAsync(admin, true, Ct);
        var original = admin.Clone();

        admin.PasswordHash = "changed after create";
        var found = await store.FindByIdAsync(admin.Id, Ct);
        found!.PasswordHash = "changed after find";
        var listed = (await CollectAsync(store.ListAsync(0, 1, Ct), Ct)).Single();
        listed.FailedLoginCount = 99;

        AssertSameAdmin(original, await store.FindByNormalizedUserNameAsync("ALICE", Ct));
    }

    [Fact]
    public async Task EveryMethod_CancelledToken_Throws()
    {
        var store = await CreateStoreAsync();
        var admin = NewAdmin("alice");
        await store.CreateAsync(admin, true, Ct);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var token = cts.Token;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.FindByIdAsync(admin.Id, token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.FindByNormalizedUserNameAsync("ALICE", token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.CreateAsync(NewAdmin("bob"), false, token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.CountAsync(token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CollectAsync(store.ListAsync(0, 10, token), token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.UpdateAsync(admin, token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.DeleteAsync(admin.Id, token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.TryUpdateLoginFailuresAsync(admin.Id, 0, null, 1, null, token).AsTask());

        Assert.Equal(1, await store.CountAsync(Ct));
    }
}
