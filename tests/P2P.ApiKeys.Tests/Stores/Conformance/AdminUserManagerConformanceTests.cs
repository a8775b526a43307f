using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using P2P.ApiKeys.Admin;
using P2P.ApiKeys.Admin.Users;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Tests.Admin;
using static P2P.ApiKeys.Tests.Stores.Conformance.StoreTestData;

namespace P2P.ApiKeys.Tests.Stores.Conformance;

/// <summary>
/// <see cref="AdminUserManager"/>'s rules on a real store: run on the in-memory store here and, linked, on EF Core over
/// SQLite and PostgreSQL (tests/P2P.ApiKeys.EFCore.Tests). The manager is built as DI builds it, on a fake clock.
/// </summary>
public abstract class AdminUserManagerConformanceTests
{
    private const string Password = "a long pass phrase 1";

    private readonly FakeTimeProvider _clock = new(Epoch);

    /// <summary>Returns a new, empty store.</summary>
    protected abstract Task<IAdminUserStore> CreateStoreAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(AdminUserManager Manager, IAdminUserStore Store)> CreateAsync(int lockoutThreshold = 5, int maxPageSize = 100)
    {
        var store = await CreateStoreAsync();
        var options = Options.Create(new AdminOptions { Lockout = { Threshold = lockoutThreshold } });
        var throttle = new AdminLoginThrottle(store, options, _clock);
        var manager = new AdminUserManager(store, FastPasswordHasher.Instance, throttle, options,
            Options.Create(new ApiKeyOptions { MaxPageSize = maxPageSize }), _clock, NullLogger<AdminUserManager>.Instance);
        return (manager, store);
    }

    [Fact]
    public async Task CreateAsync_FirstAdmin_CreatesOnceThenTheBootstrapIsClosed()
    {
        var (manager, store) = await CreateAsync();

        var first = await manager.CreateAsync("alice", Password, firstAdmin: true, Ct);
        var second = await manager.CreateAsync("bob", Password, firstAdmin: true, Ct);

        Assert.True(first.Succeeded);
        Assert.Equal("ALICE", first.Value.NormalizedUserName);
        Assert.NotEqual(Password, first.Value.PasswordHash);
        Assert.Equal(AdminUserError.Conflict, second.Error);
        Assert.Equal(1, await store.CountAsync(Ct));
    }

    [Fact]
    public async Task CreateAsync_BadNameAndPassword_InvalidPerFieldAndWritesNothing()
    {
        var (manager, store) = await CreateAsync();

        var result = await manager.CreateAsync("al ice", "password1", firstAdmin: true, Ct);

        Assert.Equal(AdminUserError.Invalid, result.Error);
        Assert.Equal(["password", "username"], result.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0, await store.CountAsync(Ct));
    }

    [Fact]
    public async Task CreateAsync_NameTakenInAnotherCase_Conflict()
    {
        var (manager, store) = await CreateAsync();
        await manager.CreateAsync("alice", Password, firstAdmin: true, Ct);

        var result = await manager.CreateAsync("ALICE", Password, firstAdmin: false, Ct);

        Assert.Equal(AdminUserError.Conflict, result.Error);
        Assert.Equal(1, await store.CountAsync(Ct));
    }

    [Fact]
    public async Task VerifyLoginAsync_UnknownUserAndWrongPassword_SameRefusalThenRightPasswordSucceeds()
    {
        var (manager, store) = await CreateAsync();
        await manager.CreateAsync("alice", Password, firstAdmin: true, Ct);

        var unknown = await manager.VerifyLoginAsync("mallory", Password, Ct);
        var wrong = await manager.VerifyLoginAsync("alice", "not the pass phrase", Ct);
        var right = await manager.VerifyLoginAsync("Alice", Password, Ct);

        Assert.Equal(AdminUserError.InvalidCredentials, unknown.Error);
        Assert.Equal(AdminUserError.InvalidCredentials, wrong.Error);
        Assert.Equal(unknown.Detail, wrong.Detail);
        Assert.Null(unknown.Account);
        Assert.Equal("alice", wrong.Account);
        Assert.True(right.Succeeded);
        Assert.Equal(0, (await store.FindByIdAsync(right.Value.Id, Ct))!.FailedLoginCount); // the success cleared the failure before it
    }

    [Fact]
    public async Task VerifyLoginAsync_ThresholdReached_LockedOutEvenWithTheRightPasswordUntilTheDelayPasses()
    {
        var (manager, _) = await CreateAsync(lockoutThreshold: 2);
        await manager.CreateAsync("alice", Password, firstAdmin: true, Ct);
        await manager.VerifyLoginAsync("alice", "wrong 1 wrong 1", Ct);
        await manager.VerifyLoginAsync("alice", "wrong 2 wrong 2", Ct);

        var locked = await manager.VerifyLoginAsync("alice", Password, Ct);
        _clock.Advance(new AdminLockoutOptions().BaseDelay);
        var later = await manager.VerifyLoginAsync("alice", Password, Ct);

        Assert.Equal(AdminUserError.LockedOut, locked.Error);
        Assert.Equal(new AdminLockoutOptions().BaseDelay, locked.RetryAfter);
        Assert.True(later.Succeeded);
    }

    [Fact]
    public async Task ChangePasswordAsync_WrongCurrentCountsTowardLockout_RightOneChangesHashAndStamp()
    {
        var (manager, store) = await CreateAsync(lockoutThreshold: 3);
        var admin = (await manager.CreateAsync("alice", Password, firstAdmin: true, Ct)).Value!;

        var wrong = await manager.ChangePasswordAsync(admin.Id, "not the pass phrase", "another long pass phrase", Ct);
        Assert.Equal(1, (await store.FindByIdAsync(admin.Id, Ct))!.FailedLoginCount);
        var changed = await manager.ChangePasswordAsync(admin.Id, Password, "another long pass phrase", Ct);

        Assert.Equal(AdminUserError.Invalid, wrong.Error);
        Assert.Equal(["current_password"], wrong.Errors.Keys);
        Assert.True(changed.Succeeded);
        Assert.NotEqual(admin.SecurityStamp, changed.Value.SecurityStamp);
        Assert.Equal(AdminUserError.InvalidCredentials, (await manager.VerifyLoginAsync("alice", Password, Ct)).Error);
        Assert.True((await manager.VerifyLoginAsync("alice", "another long pass phrase", Ct)).Succeeded);
    }

    [Fact]
    public async Task DeleteAsync_LastAdminRefused_OtherDeleted_UnknownNotFound()
    {
        var (manager, store) = await CreateAsync();
        var alice = (await manager.CreateAsync("alice", Password, firstAdmin: true, Ct)).Value!;
        var bob = (await manager.CreateAsync("bob", Password, firstAdmin: false, Ct)).Value!;

        var deleted = await manager.DeleteAsync(bob.Id, Ct);
        var last = await manager.DeleteAsync(alice.Id, Ct);
        var unknown = await manager.DeleteAsync(Guid.NewGuid(), Ct);

        Assert.Equal("bob", deleted.Value!.UserName);
        Assert.Equal(AdminUserError.Conflict, last.Error);
        Assert.Equal(AdminUserError.NotFound, unknown.Error);
        Assert.Equal(1, await store.CountAsync(Ct));
    }

    [Fact]
    public async Task ListAsync_PageSizeAboveTheMaximum_CappedAndOldestFirst_PageZeroInvalid()
    {
        var (manager, _) = await CreateAsync(maxPageSize: 2);
        foreach (var name in new[] { "alice", "bob", "carol" })
        {
            await manager.CreateAsync(name, Password, firstAdmin: name == "alice", Ct);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        var page = await manager.ListAsync(page: 2, pageSize: 500, Ct);
        var invalid = await manager.ListAsync(page: 0, pageSize: 10, Ct);

        Assert.Equal(2, page.Value!.PageSize);
        Assert.Equal(3, page.Value.Total);
        Assert.Equal(["carol"], page.Value.Items.Select(u => u.UserName));
        Assert.Equal(AdminUserError.Invalid, invalid.Error);
    }
}
