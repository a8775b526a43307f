// Propagation benchmark: how long after a revocation on node A do nodes B and C refuse the key?
//
// Three AdminApi processes (built, started with dotnet exec) on one fresh PostgreSQL database, CacheTtl 10 minutes
// so that only the change notifier can help. For each revocation: create a key on A, warm it on B and C (200), revoke
// it on A (DELETE /admin/keys/{id} answers 204), then call B and C back to back until each answers 401. The figure is
// the time from A's 204 to the first 401 on each node (so one HTTP round trip and up to ~1 ms between calls are
// included). Prints a markdown table.
//
// Usage: P2P.ApiKeys.Propagation --dll samples/AdminApi/bin/Release/net10.0/AdminApi.dll --postgres "<server cs>"
//        [--redis 127.0.0.1:6379] [--notifiers postgresql,redis,polling] [--revocations 100] [--warm-up 10]
//        [--poll-interval 00:00:01]
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Npgsql;
using P2P.ApiKeys.Benchmarks.Shared;
using P2P.ApiKeys.Testing;

var options = ParseArguments(args);
var dll = Path.GetFullPath(options.GetValueOrDefault("dll") ?? throw new ArgumentException("--dll is required"));
var postgres = options.GetValueOrDefault("postgres") ?? Environment.GetEnvironmentVariable("P2P_POSTGRES")
    ?? throw new ArgumentException("--postgres (or P2P_POSTGRES) is required");
var redis = options.GetValueOrDefault("redis");
var revocations = int.Parse(options.GetValueOrDefault("revocations") ?? "100", CultureInfo.InvariantCulture);
var warmUp = int.Parse(options.GetValueOrDefault("warm-up") ?? "10", CultureInfo.InvariantCulture); // not counted: JIT, pools
var pollInterval = options.GetValueOrDefault("poll-interval") ?? "00:00:01";
var notifiers = (options.GetValueOrDefault("notifiers") ?? (redis is null ? "postgresql,polling" : "postgresql,redis,polling")).Split(',');
var refuseTimeout = TimeSpan.FromSeconds(30);
using var run = new CancellationTokenSource(TimeSpan.FromMinutes(20)); // the whole run is bounded
var ct = run.Token;

var rows = new List<string>();
foreach (var notifier in notifiers)
{
    Console.Error.WriteLine($"[propagation] {notifier}: starting 3 nodes");
    var database = $"p2p_propagation_{Guid.NewGuid():N}";
    await ExecuteAsync(postgres, $"CREATE DATABASE \"{database}\"", ct);
    try
    {
        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = "PostgreSql",
            ["ConnectionStrings__ApiKeys"] = new NpgsqlConnectionStringBuilder(postgres) { Database = database }.ToString(),
            ["ApiKeys__CacheTtl"] = "00:10:00",
            ["ApiKeys__ChangeNotifications"] = notifier,
            ["ApiKeys__PollInterval"] = pollInterval,

            // Every revocation costs each node two store lookups from this one client (the warm-up and the first call
            // after the eviction): far more than the sample's per-client lookup limit allows per minute.
            ["ApiKeys__ClientLookupLimit__Limit"] = "0",
            ["Admin__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__P2P.ApiKeys.Caching.ApiKeyChangeReceiver"] = "Information", // event 1103: listening
        };
        if (redis is not null)
        {
            settings["ConnectionStrings__Redis"] = redis;
        }

        await using var a = await AdminApiNode.StartAsync(dll, settings, ct); // alone first: it applies the migrations
        var others = await Task.WhenAll(AdminApiNode.StartAsync(dll, settings, ct), AdminApiNode.StartAsync(dll, settings, ct));
        await using var b = others[0];
        await using var c = others[1];
        var token = await AdminApiCalls.BootstrapAdminAsync(a.Client, "a long propagation benchmark passphrase", ct);

        var samples = new List<double>(2 * revocations);
        var failures = 0;
        var clock = Stopwatch.StartNew();
        for (var i = -warmUp; i < revocations; i++)
        {
            if (i == 0)
            {
                clock.Restart();
            }

            var (key, id) = await AdminApiCalls.CreateKeyAsync(a.Client, token, $"propagation {i}", ct);
            foreach (var node in new[] { b, c })
            {
                var warm = await AdminApiCalls.SummaryStatusAsync(node.Client, key, ct);
                if (warm != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"Warm-up on {node.BaseUrl} answered {(int)warm}.");
                }
            }

            if (notifier == "polling")
            {
                // Revoke at a random point of the poll cycle, as real revocations come: otherwise the loop locks onto
                // the pollers' phase (it resumes right after a poll) and every sample waits nearly a whole interval.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * TimeSpan.Parse(pollInterval, CultureInfo.InvariantCulture).TotalMilliseconds), ct);
            }

            await AdminApiCalls.RevokeAsync(a.Client, token, id, ct);

            var acknowledged = Stopwatch.GetTimestamp();
            var waits = await Task.WhenAll(WaitUntilRefusedAsync(b, key, acknowledged, ct), WaitUntilRefusedAsync(c, key, acknowledged, ct));
            foreach (var wait in i < 0 ? [] : waits)
            {
                if (wait is { } ms)
                {
                    samples.Add(ms);
                }
                else
                {
                    failures++;
                }
            }
        }

        samples.Sort();
        rows.Add(string.Create(CultureInfo.InvariantCulture,
            $"| {notifier} | {revocations} | {samples.Count} | {Percentile(samples, 0.50):0.0} | {Percentile(samples, 0.99):0.0} | {samples[^1]:0.0} | {failures} | {clock.Elapsed.TotalSeconds:0} s |"));
        Console.Error.WriteLine($"[propagation] {rows[^1]}");
    }
    finally
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(postgres, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", CancellationToken.None);
    }
}

Console.WriteLine("| notifier | revocations | samples (B and C) | p50 ms | p99 ms | max ms | not refused within 30 s | run time |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
rows.ForEach(Console.WriteLine);
return 0;

async Task<double?> WaitUntilRefusedAsync(AdminApiNode node, string key, long since, CancellationToken cancellationToken)
{
    while (Stopwatch.GetElapsedTime(since) < refuseTimeout)
    {
        if (await AdminApiCalls.SummaryStatusAsync(node.Client, key, cancellationToken) == HttpStatusCode.Unauthorized)
        {
            return Stopwatch.GetElapsedTime(since).TotalMilliseconds;
        }

        await Task.Delay(1, cancellationToken); // ~1 ms between calls: the nodes, not the poller, should get the CPU
    }

    return null;
}

static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync(cancellationToken);
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync(cancellationToken);
}

static double Percentile(List<double> sorted, double p) =>
    sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

static Dictionary<string, string> ParseArguments(string[] args)
{
    var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        parsed[args[i].TrimStart('-')] = args[i + 1];
    }

    return parsed;
}
