using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using P2P.ApiKeys.Benchmarks.Shared;
using P2P.ApiKeys.EFCore;
using P2P.ApiKeys.Management;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Benchmarks;

/// <summary>
/// What events cost the key manager: <see cref="IApiKeyManager"/> create, rotate and revoke on the EF Core stores, SQLite
/// (a file) and PostgreSQL (<c>P2P_POSTGRES</c>, a fresh database), with the outbox row (<c>Events = true</c>, as shipped)
/// and without it (<c>false</c>: the same store behind a decorator that drops the journal's events, so the change and its
/// audit entry are written exactly as before, one insert fewer). Compare the two rows of a method and provider: the
/// ratio is the events' cost.
/// <code>P2P_POSTGRES=... dotnet run -c Release --project benchmarks/P2P.ApiKeys.Benchmarks -- --filter '*ManagerEventCost*'</code>
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortInProcess))]
public class ManagerEventCostBenchmarks
{
    private const int PerIteration = 48;
    private readonly Queue<Guid> _existing = new();
    private ServiceProvider _provider = null!;
    private IApiKeyManager _manager = null!;
    private string? _tempDirectory;
    private string? _pgAdmin;
    private string? _pgDatabase;

    [Params("sqlite", "postgres")]
    public string Provider { get; set; } = "sqlite";

    [Params(false, true)]
    public bool Events { get; set; }

    /// <summary>The manager under test (after <see cref="Setup"/>), for the interleaved A/B check.</summary>
    internal IApiKeyManager Manager => _manager;

    [GlobalSetup]
    public void Setup()
    {
        Action<DbContextOptionsBuilder> useProvider;
        if (Provider == "sqlite")
        {
            _tempDirectory = Directory.CreateTempSubdirectory("p2p-bench-events-").FullName;
            var sqlite = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_tempDirectory, "keys.db") }.ToString();
            useProvider = o => o.UseSqlite(sqlite);
        }
        else
        {
            _pgAdmin = Environment.GetEnvironmentVariable("P2P_POSTGRES")
                ?? throw new InvalidOperationException("Set P2P_POSTGRES for the postgres rows.");
            _pgDatabase = "p2p_bench_" + Guid.NewGuid().ToString("N")[..12];
            Execute(_pgAdmin, $"CREATE DATABASE \"{_pgDatabase}\"");
            var pg = new NpgsqlConnectionStringBuilder(_pgAdmin) { Database = _pgDatabase }.ToString();
            useProvider = o => o.UseNpgsql(pg);
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDbContextFactory<ApiKeysDbContext>(useProvider);
        services.AddApiKeyAuth().AddEntityFrameworkCoreStores<ApiKeysDbContext>();
        if (!Events)
        {
            var shipped = services.Single(d => d.ServiceType == typeof(IApiKeyStore));
            services.Remove(shipped);
            services.AddSingleton<IApiKeyStore>(sp =>
                new WithoutEvents((IApiKeyJournalStore)ActivatorUtilities.CreateInstance(sp, shipped.ImplementationType!)));
        }

        _provider = services.BuildServiceProvider();
        using (var db = _provider.GetRequiredService<IDbContextFactory<ApiKeysDbContext>>().CreateDbContext())
        {
            db.Database.EnsureCreated();
        }

        _manager = _provider.GetRequiredService<IApiKeyManager>();
        for (var i = 0; i < 20; i++)
        {
            var id = Create().GetAwaiter().GetResult();
            _manager.RotateAsync(id, TimeSpan.FromMinutes(1)).GetAwaiter().GetResult();
            _manager.RevokeAsync(id).GetAwaiter().GetResult();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _provider.Dispose();
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        if (_tempDirectory is not null)
        {
            Directory.Delete(_tempDirectory, recursive: true);
        }

        if (_pgDatabase is not null)
        {
            Execute(_pgAdmin!, $"DROP DATABASE IF EXISTS \"{_pgDatabase}\" WITH (FORCE)");
        }
    }

    /// <summary>Keys for the next iteration's rotations or revocations (not measured).</summary>
    [IterationSetup(Targets = [nameof(Rotate), nameof(Revoke)])]
    public void CreateKeysForIteration()
    {
        _existing.Clear();
        for (var i = 0; i < PerIteration; i++)
        {
            _existing.Enqueue(Create().GetAwaiter().GetResult());
        }
    }

    [Benchmark]
    public Task<Guid> CreateKey() => Create();

    [Benchmark]
    public async Task<bool> Rotate() => (await _manager.RotateAsync(_existing.Dequeue(), TimeSpan.FromMinutes(1)).ConfigureAwait(false)).Succeeded;

    [Benchmark]
    public async Task<bool> Revoke() => (await _manager.RevokeAsync(_existing.Dequeue()).ConfigureAwait(false)).Succeeded;

    private async Task<Guid> Create() => (await BenchmarkKeys.CreateAsync(_manager, "Bench key", "bench").ConfigureAwait(false)).Record.Id;

    private static void Execute(string connectionString, string statement)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = statement;
        command.ExecuteNonQuery();
    }

    /// <summary>In process (no generated project to build on a busy machine), 2 warm-up and 8 measured iterations of 48 calls.</summary>
    private sealed class ShortInProcess : ManualConfig
    {
        public ShortInProcess() => AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(8)
            .WithInvocationCount(PerIteration).WithUnrollFactor(1));
    }

    /// <summary>The shipped store, its journal's events dropped: the change and its audit entry only.</summary>
    private sealed class WithoutEvents(IApiKeyJournalStore inner) : IApiKeyJournalStore
    {
        public ValueTask<ApiKeyRecord?> FindByLookupIdAsync(string lookupId, CancellationToken cancellationToken) => inner.FindByLookupIdAsync(lookupId, cancellationToken);

        public ValueTask<ApiKeyRecord?> FindByIdAsync(Guid id, CancellationToken cancellationToken) => inner.FindByIdAsync(id, cancellationToken);

        public ValueTask<ApiKeyStoreResult> CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken) => inner.CreateAsync(key, cancellationToken);

        public ValueTask<long> CountAsync(ApiKeyFilter filter, CancellationToken cancellationToken) => inner.CountAsync(filter, cancellationToken);

        public IAsyncEnumerable<ApiKeyRecord> ListAsync(ApiKeyFilter filter, int skip, int take, CancellationToken cancellationToken) => inner.ListAsync(filter, skip, take, cancellationToken);

        public ValueTask<ApiKeyStoreResult> UpdateAsync(ApiKeyRecord key, CancellationToken cancellationToken) => inner.UpdateAsync(key, cancellationToken);

        public ValueTask<ApiKeyStoreResult> RotateAsync(ApiKeyRecord key, ApiKeyRecord replacement, CancellationToken cancellationToken) => inner.RotateAsync(key, replacement, cancellationToken);

        public ValueTask RecordUsageAsync(IReadOnlyCollection<KeyValuePair<Guid, DateTimeOffset>> lastUsed, CancellationToken cancellationToken) => inner.RecordUsageAsync(lastUsed, cancellationToken);

        public ValueTask<ApiKeyStoreResult> CreateAsync(ApiKeyRecord key, ApiKeyChangeJournal journal, CancellationToken cancellationToken) => inner.CreateAsync(key, Strip(journal), cancellationToken);

        public ValueTask<ApiKeyStoreResult> UpdateAsync(ApiKeyRecord key, ApiKeyChangeJournal journal, CancellationToken cancellationToken) => inner.UpdateAsync(key, Strip(journal), cancellationToken);

        public ValueTask<ApiKeyStoreResult> RotateAsync(ApiKeyRecord key, ApiKeyRecord replacement, ApiKeyChangeJournal journal, CancellationToken cancellationToken) => inner.RotateAsync(key, replacement, Strip(journal), cancellationToken);

        public ValueTask AppendAsync(ApiKeyChangeJournal journal, CancellationToken cancellationToken) => inner.AppendAsync(Strip(journal), cancellationToken);

        private static ApiKeyChangeJournal Strip(ApiKeyChangeJournal journal) => new() { Audit = journal.Audit };
    }
}
