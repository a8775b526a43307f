using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using P2P.ApiKeys.EFCore;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Usage;

namespace P2P.ApiKeys.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release -- usage-owner [keys=10000] [hours=100] [owners=100] [samples=500]</c>: a new PostgreSQL
/// database <c>p2p_bench_*</c> on the server in <c>P2P_POSTGRES</c> (dropped at the end), its schema made by the EF
/// model, seeded with <c>keys × hours</c> hourly usage rows (10,000 × 100 = 1,000,000) spread over <c>owners</c>
/// owners, then <see cref="IApiKeyUsage.GetOwnerUsageAsync"/> (what <c>GET /admin/usage?owner=</c> calls: one query,
/// then the sums and the merged client sketches) for a random owner over the last 24 hours, timed per call.
/// </summary>
internal static class UsageOwnerQueryCheck
{
    public static async Task<int> RunAsync(int keyCount, int hours, int owners, int samples)
    {
        var inv = CultureInfo.InvariantCulture;
        var admin = Environment.GetEnvironmentVariable("P2P_POSTGRES")
            ?? throw new InvalidOperationException("Set P2P_POSTGRES, e.g. Host=127.0.0.1;Port=5432;Username=p2p_ci;Password=p2p_ci;Database=p2p_ci");
        var database = "p2p_bench_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync(admin, $"CREATE DATABASE \"{database}\"").ConfigureAwait(false);
        var pg = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ToString();
        try
        {
            using var services = BenchmarkServices.Create(
                o => o.CacheTtl = TimeSpan.Zero,
                (collection, builder) =>
                {
                    collection.AddPooledDbContextFactory<ApiKeysDbContext>(o => o.UseNpgsql(pg));
                    builder.AddEntityFrameworkCoreStores<ApiKeysDbContext>();
                });
            await using (var db = await services.Provider.GetRequiredService<IDbContextFactory<ApiKeysDbContext>>().CreateDbContextAsync().ConfigureAwait(false))
            {
                await db.Database.EnsureCreatedAsync().ConfigureAwait(false);
            }

            var first = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
            var seeding = Stopwatch.StartNew();
            await ExecuteAsync(pg, string.Create(inv, $"""
                INSERT INTO p2p_api_key_usage ("KeyId", "Granularity", "Start", "LineageId", "Owner", "Allowed", "RateLimited", "QuotaExhausted", "Forbidden", "Refused", "Clients", "ClientSketch")
                SELECT k.id, 0, {first.UtcTicks}::bigint + h * {TimeSpan.TicksPerHour}::bigint, k.id, 'owner-' || (k.n % {owners}), 100 + h, h % 3, 0, h % 2, 0, 1,
                       set_byte(decode(repeat('00', 256), 'hex'), k.n % 256, 1)
                FROM (SELECT n, md5(n::text)::uuid AS id FROM generate_series(1, {keyCount}) n) k CROSS JOIN generate_series(0, {hours - 1}) h;
                ANALYZE p2p_api_key_usage;
                """)).ConfigureAwait(false);
            Console.WriteLine(string.Create(inv, $"seeded {keyCount:N0} keys x {hours} hours = {(long)keyCount * hours:N0} rows over {owners} owners in {seeding.Elapsed.TotalSeconds:0.0} s"));

            var usage = services.Provider.GetRequiredService<IApiKeyUsage>();
            var to = first.AddHours(hours);
            var query = new ApiKeyUsageQuery { From = to.AddHours(-24), To = to, Granularity = ApiKeyUsageGranularity.Hour };
            var random = new Random(42);
            var times = new List<double>(samples);
            long buckets = 0;
            for (var i = 0; i < samples + 50; i++)
            {
                var owner = "owner-" + random.Next(owners).ToString(inv);
                var started = Stopwatch.GetTimestamp();
                var report = await usage.GetOwnerUsageAsync(owner, query).ConfigureAwait(false);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!report.Succeeded || report.Value.Keys.Count == 0)
                {
                    throw new InvalidOperationException("The owner report came back empty.");
                }

                if (i >= 50)
                {
                    times.Add(elapsed);
                    buckets += report.Value.Keys.Sum(k => k.Buckets.Count);
                }
            }

            times.Sort();
            double P(double q) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(q * times.Count) - 1)];
            Console.WriteLine(string.Create(inv,
                $"GetOwnerUsageAsync, 24 hourly buckets of {keyCount / owners} keys ({buckets / samples:N0} rows per call), {samples} calls: p50 {P(0.5):0.00} ms, p95 {P(0.95):0.00} ms, p99 {P(0.99):0.00} ms, max {times[^1]:0.00} ms"));
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)").ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(string connectionString, string statement)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandTimeout = 600;
        command.CommandText = statement;
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
