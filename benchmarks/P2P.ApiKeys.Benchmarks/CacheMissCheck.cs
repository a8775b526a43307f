using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using P2P.ApiKeys.Benchmarks.Shared;
using P2P.ApiKeys.EFCore;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Authentication;
using P2P.ApiKeys.Management;

namespace P2P.ApiKeys.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release -- cache-miss sqlite|postgres [keys=1000000] [samples=20000] [pooled]</c>:
/// seeds a fresh database (a SQLite file in a temp dir, or a new PostgreSQL database <c>p2p_bench_*</c> on
/// the server in <c>P2P_POSTGRES</c>, dropped at the end) with that many keys minted by the library's own
/// <see cref="KeyFormat.ApiKeyFormat"/> and <see cref="KeyFormat.ApiKeySecretHasher"/>, then verifies a
/// random sample of them through the real <c>ApiKeyAuthenticationHandler</c> with the cache off
/// (<see cref="ApiKeyOptions.CacheTtl"/> = 0) and <c>AddEntityFrameworkCoreStores&lt;ApiKeysDbContext&gt;</c>,
/// so every call reads the database. Per call latency comes from <see cref="Stopwatch.GetTimestamp"/>.
/// Each sample is interleaved with a no-key call through the same handler (the fixed cost of scope,
/// HttpContext and handler, the "floor") and with a store-only <c>FindByLookupIdAsync</c> of another
/// sampled key, so that all three see the same machine load.
/// </summary>
internal static class CacheMissCheck
{
    // Microsoft.Data.Sqlite finds parameters by name linearly, so very wide statements get slower per row.
    private const int RowsPerInsert = 50;
    private const string Header = "X-API-Key";

    public static async Task<int> RunAsync(string provider, int keyCount, int sampleCount, bool pooled)
    {
        var inv = CultureInfo.InvariantCulture;
        var warmupCount = Math.Min(2_000, Math.Max(1, sampleCount / 10));
        if (keyCount < (2 * sampleCount) + warmupCount)
        {
            throw new ArgumentException("keys must be at least 3 x samples + warm-up keys.");
        }

        string? tempDir = null;
        string? pgAdmin = null;
        Func<DbConnection> openRaw;
        string? pgDatabase = null;
        Action<DbContextOptionsBuilder> useProvider;
        switch (provider)
        {
            case "sqlite":
                tempDir = Directory.CreateTempSubdirectory("p2p-bench-").FullName;
                var sqlite = new SqliteConnectionStringBuilder { DataSource = Path.Combine(tempDir, "keys.db") }.ToString();
                useProvider = o => o.UseSqlite(sqlite);
                openRaw = () => new SqliteConnection(sqlite);
                break;
            case "postgres":
                pgAdmin = Environment.GetEnvironmentVariable("P2P_POSTGRES")
                    ?? throw new InvalidOperationException("Set P2P_POSTGRES, e.g. Host=127.0.0.1;Port=5432;Username=p2p_ci;Password=p2p_ci;Database=p2p_ci");
                pgDatabase = "p2p_bench_" + Guid.NewGuid().ToString("N")[..12];
                await ExecuteAdminAsync(pgAdmin, $"CREATE DATABASE \"{pgDatabase}\"").ConfigureAwait(false);
                var pg = new NpgsqlConnectionStringBuilder(pgAdmin) { Database = pgDatabase }.ToString();
                useProvider = o => o.UseNpgsql(pg);
                openRaw = () => new NpgsqlConnection(pg);
                break;
            default:
                throw new ArgumentException("provider must be sqlite or postgres");
        }

        try
        {
            using var services = BenchmarkServices.Create(
                o => o.CacheTtl = TimeSpan.Zero,
                (collection, builder) =>
                {
                    if (pooled)
                    {
                        collection.AddPooledDbContextFactory<ApiKeysDbContext>(useProvider);
                    }
                    else
                    {
                        collection.AddDbContextFactory<ApiKeysDbContext>(useProvider);
                    }

                    builder.AddEntityFrameworkCoreStores<ApiKeysDbContext>();
                });

            var total = Stopwatch.StartNew();
            var factory = services.Provider.GetRequiredService<IDbContextFactory<ApiKeysDbContext>>();
            var keepCount = (3 * sampleCount) + warmupCount;
            string[] kept;
            await using (var db = await factory.CreateDbContextAsync().ConfigureAwait(false))
            {
                await db.Database.EnsureCreatedAsync().ConfigureAwait(false);
                kept = await SeedAsync(db, keyCount, keepCount).ConfigureAwait(false);
                Console.WriteLine(string.Create(inv, $"Seeded {keyCount:N0} keys in {total.Elapsed.TotalSeconds:F1} s; analyzing..."));
                var analyze = Stopwatch.StartNew();
                await db.Database.ExecuteSqlRawAsync(provider == "sqlite" ? "ANALYZE" : "VACUUM ANALYZE p2p_api_keys").ConfigureAwait(false);
                var count = await db.ApiKeys.LongCountAsync().ConfigureAwait(false);
                Console.WriteLine(string.Create(inv, $"ANALYZE {analyze.Elapsed.TotalSeconds:F1} s; {count:N0} rows in p2p_api_keys"));
                if (count != keyCount)
                {
                    throw new InvalidOperationException("row count differs from keys seeded");
                }
            }

            var warmup = kept[..warmupCount];
            var handlerKeys = kept[warmupCount..(warmupCount + sampleCount)];
            var storeKeys = kept[(warmupCount + sampleCount)..(warmupCount + (2 * sampleCount))];
            var rawKeys = kept[(warmupCount + (2 * sampleCount))..];
            var format = services.Format;
            var store = services.Provider.GetRequiredService<IApiKeyStore>();

            // Warm-up: JIT, EF query compilation, connection pool, tiered compilation of the hot path.
            foreach (var key in warmup)
            {
                await services.AuthenticateAsync(ApiKeyDefaults.AuthenticationScheme, Header, null).ConfigureAwait(false);
                if (!await services.AuthenticateAsync(ApiKeyDefaults.AuthenticationScheme, Header, key).ConfigureAwait(false))
                {
                    throw new InvalidOperationException("a seeded key was refused during the warm-up");
                }

                format.TryParse(key, out var parsedWarm);
                _ = await store.FindByLookupIdAsync(parsedWarm.LookupId.ToString(), CancellationToken.None).ConfigureAwait(false);
            }

            var floor = new long[sampleCount];
            var miss = new long[sampleCount];
            var storeOnly = new long[sampleCount];
            var storeLookupIds = storeKeys.Select(k =>
            {
                format.TryParse(k, out var p);
                return p.LookupId.ToString();
            }).ToArray();
            var rawLookupIds = rawKeys.Select(k =>
            {
                format.TryParse(k, out var p);
                return p.LookupId.ToString();
            }).ToArray();

            // Raw ADO.NET on one open connection, prepared: the database's own cost plus the driver, no EF.
            await using var raw = openRaw();
            await raw.OpenAsync().ConfigureAwait(false);
            await using var rawCommand = raw.CreateCommand();
            rawCommand.CommandText = "SELECT * FROM p2p_api_keys WHERE \"LookupId\" = @id";
            var rawParameter = rawCommand.CreateParameter();
            rawParameter.ParameterName = "id";
            rawParameter.Value = rawLookupIds[0];
            rawCommand.Parameters.Add(rawParameter);
            await rawCommand.PrepareAsync().ConfigureAwait(false);
            foreach (var id in storeLookupIds.Take(warmupCount))
            {
                rawParameter.Value = id;
                await ReadAllAsync(rawCommand).ConfigureAwait(false);
            }

            var rawTimes = new long[sampleCount];
            var gcDuring = new bool[sampleCount];
            var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
            var refused = 0;
            var notFound = 0;
            var run = Stopwatch.StartNew();
            for (var i = 0; i < sampleCount; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                await services.AuthenticateAsync(ApiKeyDefaults.AuthenticationScheme, Header, null).ConfigureAwait(false);
                var gc0 = GC.CollectionCount(0);
                var t1 = Stopwatch.GetTimestamp();
                var ok = await services.AuthenticateAsync(ApiKeyDefaults.AuthenticationScheme, Header, handlerKeys[i]).ConfigureAwait(false);
                var t2 = Stopwatch.GetTimestamp();
                var found = await store.FindByLookupIdAsync(storeLookupIds[i], CancellationToken.None).ConfigureAwait(false);
                var t3 = Stopwatch.GetTimestamp();
                rawParameter.Value = rawLookupIds[i];
                var rows = await ReadAllAsync(rawCommand).ConfigureAwait(false);
                var t4 = Stopwatch.GetTimestamp();
                gcDuring[i] = GC.CollectionCount(0) != gc0;
                rawTimes[i] = t4 - t3;
                notFound += rows == 1 ? 0 : 1;
                floor[i] = t1 - t0;
                miss[i] = t2 - t1;
                storeOnly[i] = t3 - t2;
                refused += ok ? 0 : 1;
                notFound += found is null ? 1 : 0;
            }

            run.Stop();
            var gcAfter = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
            var missNoGc = miss.Where((_, i) => !gcDuring[i]).ToArray();
            var fileNote = tempDir is null ? "" : string.Create(inv, $", SQLite file {new FileInfo(Path.Combine(tempDir, "keys.db")).Length / 1024.0 / 1024.0:F0} MiB");
            Console.WriteLine();
            Console.WriteLine(string.Create(inv, $"{provider}{(pooled ? " (pooled context factory)" : "")}: {keyCount:N0} keys{fileNote}; {sampleCount:N0} samples after {warmupCount:N0} warm-ups; {refused} refused, {notFound} not found; {run.Elapsed.TotalSeconds:F1} s measuring, {total.Elapsed.TotalSeconds:F0} s in all"));
            Console.WriteLine();
            Console.WriteLine("| measure | count | p50 ms | p90 ms | p99 ms | max ms | mean ms |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            var f = Row("handler, no key (floor: scope, HttpContext, handler)", floor);
            var m = Row("handler, cache-miss verification (CacheTtl = 0)", miss);
            Row("handler cache miss, calls with no GC during the call", missNoGc);
            Row("store only: FindByLookupIdAsync", storeOnly);
            Row("raw ADO.NET: prepared SELECT on an open connection (no EF)", rawTimes);
            Console.WriteLine(string.Create(inv, $"| cache miss − floor (difference of the percentiles) | | {m[0] - f[0]:F3} | {m[1] - f[1]:F3} | {m[2] - f[2]:F3} | | {m[4] - f[4]:F3} |"));
            Console.WriteLine();
            Console.WriteLine(string.Create(inv, $"GC while measuring: gen0 {gcAfter.Item1 - gcBefore.Item1}, gen1 {gcAfter.Item2 - gcBefore.Item2}, gen2 {gcAfter.Item3 - gcBefore.Item3}, total pause {(gcAfter.Item4 - gcBefore.Item4).TotalMilliseconds:F1} ms; {sampleCount - missNoGc.Length} handler calls saw a GC; load average {LoadAverage()}"));
            return refused == 0 && notFound == 0 ? 0 : 1;
        }
        finally
        {
            if (tempDir is not null)
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(tempDir, recursive: true);
            }

            if (pgDatabase is not null)
            {
                NpgsqlConnection.ClearAllPools();
                await ExecuteAdminAsync(pgAdmin!, $"DROP DATABASE IF EXISTS \"{pgDatabase}\" WITH (FORCE)").ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Writes the rows (the sampled keys minted by IApiKeyManager, fillers for the rest) with multi-row INSERTs in
    /// one transaction on the context's own connection. Parameter values go through EF's type mapping for
    /// each column (value converters included), so the rows are exactly what the store would write.
    /// Returns the plain text of a random sample of <paramref name="keepCount"/> keys, in random order.
    /// </summary>
    private static async Task<string[]> SeedAsync(ApiKeysDbContext db, int keyCount, int keepCount)
    {
        var entity = db.Model.FindEntityType(typeof(ApiKeyRecord))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var properties = entity.GetProperties().ToArray();
        var columns = string.Join(", ", properties.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!)));
        var mappings = properties.Select(p => p.GetRelationalTypeMapping()).ToArray();
        var getters = properties.Select(p => p.GetGetter()).ToArray();
        var prefix = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({columns}) VALUES ";

        var random = new Random(20261124);
        var keepIndexes = new HashSet<int>();
        while (keepIndexes.Count < keepCount)
        {
            keepIndexes.Add(random.Next(keyCount));
        }

        var kept = new List<string>(keepCount);

        // The sampled keys (which must authenticate) are minted by IApiKeyManager on an in-memory host and their rows copied
        // here; the other rows are fillers: a random lookup id and hash, a row for the index and nothing else.
        using var minter = BenchmarkServices.Create();
        var manager = minter.Provider.GetRequiredService<IApiKeyManager>();
        var created = DateTimeOffset.UtcNow.AddDays(-1);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync().ConfigureAwait(false);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
            var batch = new List<ApiKeyRecord>(RowsPerInsert);
            var progress = Stopwatch.StartNew();
            for (var i = 0; i < keyCount; i++)
            {
                if (keepIndexes.Contains(i))
                {
                    var minted = await BenchmarkKeys.CreateAsync(manager, "Bench key", "bench").ConfigureAwait(false);
                    batch.Add(minted.Record);
                    kept.Add(minted.Key);
                }
                else
                {
                    batch.Add(BenchmarkKeys.Filler("Bench key", "bench", created.AddTicks(i)));
                }

                if (batch.Count == RowsPerInsert || i == keyCount - 1)
                {
                    await InsertAsync(connection, transaction, prefix, mappings, getters, batch).ConfigureAwait(false);
                    batch.Clear();
                }

                if ((i + 1) % 200_000 == 0)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {i + 1:N0} rows, {progress.Elapsed.TotalSeconds:F0} s"));
                }
            }

            await transaction.CommitAsync().ConfigureAwait(false);
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }

        var shuffled = kept.ToArray();
        random.Shuffle(shuffled);
        return shuffled;
    }

    private static async Task InsertAsync(
        DbConnection connection,
        DbTransaction transaction,
        string prefix,
        RelationalTypeMapping[] mappings,
        IClrPropertyGetter[] getters,
        List<ApiKeyRecord> rows)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var text = new StringBuilder(prefix, prefix.Length + (rows.Count * mappings.Length * 8));
        var n = 0;
        for (var r = 0; r < rows.Count; r++)
        {
            text.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < mappings.Length; c++)
            {
                var name = "@p" + n.ToString(CultureInfo.InvariantCulture);
                n++;
                text.Append(c == 0 ? "" : ", ").Append(name);
                command.Parameters.Add(mappings[c].CreateParameter(command, name, getters[c].GetClrValue(rows[r])));
            }

            text.Append(')');
        }

        command.CommandText = text.ToString();
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private static async Task<int> ReadAllAsync(DbCommand command)
    {
        var rows = 0;
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            for (var c = 0; c < reader.FieldCount; c++)
            {
                _ = reader.GetValue(c);
            }

            rows++;
        }

        return rows;
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Trim();
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static double[] Row(string label, long[] ticks)
    {
        Array.Sort(ticks);
        double Ms(long t) => t * 1000.0 / Stopwatch.Frequency;
        double P(double q) => Ms(ticks[Math.Min(ticks.Length - 1, (int)Math.Ceiling(q * ticks.Length) - 1)]);
        var values = new[] { P(0.50), P(0.90), P(0.99), Ms(ticks[^1]), ticks.Average(t => Ms(t)) };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {label} | {ticks.Length:N0} | {values[0]:F3} | {values[1]:F3} | {values[2]:F3} | {values[3]:F3} | {values[4]:F3} |"));
        return values;
    }

    private static async Task ExecuteAdminAsync(string connectionString, string statement)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = statement;
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
