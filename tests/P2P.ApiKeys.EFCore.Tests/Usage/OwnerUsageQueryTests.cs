using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.EFCore.Tests.Infrastructure;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Usage;

namespace P2P.ApiKeys.EFCore.Tests.Usage;

/// <summary>The per-owner report is one round trip, however many keys the owner has: the database sees one command.</summary>
public abstract class OwnerUsageQueryTests
{
    protected static readonly DateTimeOffset Day = new(2026, 3, 14, 0, 0, 0, TimeSpan.Zero);

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Task<(IServiceProvider Services, CommandCounter Counter)> CreateAsync();

    [Fact]
    public async Task OwnerReport_ForManyKeys_IsOneCommand_WithExactSums()
    {
        var (services, counter) = await CreateAsync();
        var store = services.GetRequiredService<IApiKeyUsageStore>();
        var keys = Enumerable.Range(0, 25).Select(_ => Guid.CreateVersion7()).ToList();
        await store.AddAsync(
            [.. keys.SelectMany(k => Enumerable.Range(0, 3).Select(h => new ApiKeyUsageRecord
            {
                KeyId = k, LineageId = k, Owner = "acme", Granularity = ApiKeyUsageGranularity.Hour, Start = Day.AddHours(h), Allowed = 2, Refused = 1,
            })),
            new ApiKeyUsageRecord { KeyId = Guid.CreateVersion7(), Owner = "other", Granularity = ApiKeyUsageGranularity.Hour, Start = Day, Allowed = 100 }],
            Ct);

        counter.Reset();
        var report = await services.GetRequiredService<IApiKeyUsage>().GetOwnerUsageAsync(
            "acme", new ApiKeyUsageQuery { From = Day, To = Day.AddDays(1), Granularity = ApiKeyUsageGranularity.Hour }, Ct);

        Assert.True(report.Succeeded);
        Assert.Equal(1, counter.Commands);
        Assert.Equal(25, report.Value.Keys.Count);
        Assert.All(report.Value.Keys, k => Assert.Equal(3, k.Buckets.Count));
        Assert.Equal(150, report.Value.Total.Allowed);
        Assert.Equal(75, report.Value.Total.Refused);
    }

    /// <summary>Counts the commands the stores send.</summary>
    public sealed class CommandCounter : DbCommandInterceptor
    {
        private int _commands;

        public int Commands => Volatile.Read(ref _commands);

        public void Reset() => Interlocked.Exchange(ref _commands, 0);

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _commands);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _commands);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _commands);
            return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}

public sealed class SqliteOwnerUsageQueryTests : OwnerUsageQueryTests, IAsyncDisposable
{
    private readonly SqliteDatabases _databases = new();
    private ServiceProvider? _services;

    protected override async Task<(IServiceProvider Services, CommandCounter Counter)> CreateAsync()
    {
        var counter = new CommandCounter();
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_databases.Directory, "owner.db") }.ToString();
        _services = StoreServices.Build(o => o.UseSqlite(connectionString).AddInterceptors(counter));
        await StoreServices.EnsureCreatedAsync(_services);
        return (_services, counter);
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        await _databases.DisposeAsync();
    }
}

public sealed class PostgresOwnerUsageQueryTests(PostgresDatabase database) : OwnerUsageQueryTests, IClassFixture<PostgresDatabase>, IAsyncDisposable
{
    private ServiceProvider? _services;

    protected override async Task<(IServiceProvider Services, CommandCounter Counter)> CreateAsync()
    {
        await database.ResetAsync();
        var counter = new CommandCounter();
        _services = StoreServices.Build(o => o.UseNpgsql(database.ConnectionString).AddInterceptors(counter));
        return (_services, counter);
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }
}
