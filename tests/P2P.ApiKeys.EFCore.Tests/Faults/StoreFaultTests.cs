using System.Data.Common;
using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.EFCore.Tests.Infrastructure;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Tests.Stores.Conformance;

namespace P2P.ApiKeys.EFCore.Tests.Faults;

/// <summary>
/// A store whose database is gone must fail fast with an exception (which the authentication handler turns
/// into 503), never hang and never pretend a key is unknown; and it must work again once the database is back.
/// </summary>
public sealed class StoreFaultTests : IAsyncDisposable
{
    // Not a timing assertion: only what tells "fails" from "hangs" (the connection timeout here is 3 s), generous
    // enough that a loaded machine never trips it.
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(1);

    private readonly SqliteDatabases _databases = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Postgres_NothingListening_ThrowsDbExceptionPromptly()
    {
        var port = FreePort();
        var connectionString = $"Host=127.0.0.1;Port={port};Username=nobody;Password=nothing;Database=none;Timeout=3;Pooling=false";
        await using var services = StoreServices.Build(o => o.UseNpgsql(connectionString));
        var keys = services.GetRequiredService<IApiKeyStore>();
        var admins = services.GetRequiredService<IAdminUserStore>();

        await AssertFailsPromptlyAsync(() => keys.FindByLookupIdAsync(StoreTestData.NewLookupId(), Ct).AsTask());
        await AssertFailsPromptlyAsync(() => keys.CreateAsync(StoreTestData.NewKey(), Ct).AsTask());
        await AssertFailsPromptlyAsync(() => keys.RecordUsageAsync([new(Guid.NewGuid(), StoreTestData.Epoch)], Ct).AsTask());
        await AssertFailsPromptlyAsync(() => admins.CreateAsync(StoreTestData.NewAdmin("alice"), onlyIfNoAdminExists: true, Ct).AsTask());
    }

    [Fact]
    public async Task Postgres_ServerGoesAwayAndComesBack_StoreFailsThenRecovers()
    {
        await using var database = await RelayedPostgresDatabase.CreateAsync("fault", Ct);
        await using var services = StoreServices.Build(o => o.UseNpgsql(database.ConnectionString));
        await StoreServices.EnsureCreatedAsync(services);
        var store = services.GetRequiredService<IApiKeyStore>();
        var key = StoreTestData.NewKey();
        await store.CreateAsync(key, Ct);

        await database.Relay.StopAsync();
        await AssertFailsPromptlyAsync(() => store.FindByLookupIdAsync(key.LookupId, Ct).AsTask());
        await AssertFailsPromptlyAsync(() => store.RevokeAsync(key.Id, StoreTestData.Epoch, Ct).AsTask());

        database.Relay.Start();

        // Pooled connections that the outage cut are detected and replaced; at most the first call after
        // the outage may still see one of them.
        ApiKeyRecord? found = null;
        using var hang = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        hang.CancelAfter(HangGuard);
        while (found is null)
        {
            try
            {
                found = await store.FindByLookupIdAsync(key.LookupId, Ct);
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException)
            {
                await Task.Delay(100, hang.Token);
            }
        }

        Assert.NotNull(found);
        Assert.Equal(ApiKeyStoreResult.Success, await store.RevokeAsync(key.Id, StoreTestData.Epoch, Ct));
    }

    [Fact]
    public async Task Sqlite_DirectoryVanishes_ThrowsPromptlyThenRecoversWhenItIsBack()
    {
        var directory = Path.Combine(_databases.Directory, "data");
        Directory.CreateDirectory(directory);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "keys.db"), Pooling = false }.ToString();
        await using var services = StoreServices.Build(o => o.UseSqlite(connectionString));
        await StoreServices.EnsureCreatedAsync(services);
        var store = services.GetRequiredService<IApiKeyStore>();
        await store.CreateAsync(StoreTestData.NewKey(), Ct);

        Directory.Delete(directory, recursive: true);
        await AssertFailsPromptlyAsync(() => store.FindByLookupIdAsync(StoreTestData.NewLookupId(), Ct).AsTask());
        await AssertFailsPromptlyAsync(() => store.CreateAsync(StoreTestData.NewKey(), Ct).AsTask());

        Directory.CreateDirectory(directory);
        await StoreServices.EnsureCreatedAsync(services);
        var key = StoreTestData.NewKey();
        await store.CreateAsync(key, Ct);
        StoreTestData.AssertSameKey(key, await store.FindByLookupIdAsync(key.LookupId, Ct));
    }

    public ValueTask DisposeAsync() => _databases.DisposeAsync();

    private static async Task AssertFailsPromptlyAsync(Func<Task> action)
    {
        var task = action();
        Assert.Same(task, await Task.WhenAny(task, Task.Delay(HangGuard, Ct))); // it failed instead of hanging
        var error = await Assert.ThrowsAnyAsync<Exception>(() => task);

        Assert.IsNotAssignableFrom<OperationCanceledException>(error);

        // Not the "duplicate key" signal, which callers would answer with 409 instead of 503.
        Assert.False(error is InvalidOperationException && error.Message.Contains("already exists", StringComparison.Ordinal), error.ToString());
        Assert.True(IsDatabaseFailure(error), error.ToString());
    }

    private static bool IsDatabaseFailure(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is DbException or DbUpdateException or SocketException or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
