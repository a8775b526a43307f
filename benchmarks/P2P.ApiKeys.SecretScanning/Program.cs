// Secret-scanning benchmark (docs/benchmarks.md, "Secret scanning"): how long does the AdminApi take to answer a signed
// GitHub report of 1,000 matches, a quarter each of active keys (revoked by the report), keys revoked before, well-formed
// keys it never issued and malformed tokens?
//
// One AdminApi process (built, started with dotnet exec, Production, SQLite in a fresh data directory, or PostgreSQL with
// --postgres) with the public key of a key pair made here in SecretScanning:GitHub:PublicKeysFile. Per round: mint
// 2 x MATCHES/4 keys through POST /admin/keys/, revoke half of them through DELETE /admin/keys/{id} (timed: the baseline,
// the same work an admin would do by hand), then time the signed report (POST to answer, over loopback HTTP) and its
// replay. Checks every label and that the reported keys are refused. Prints a markdown table.
//
// Usage: P2P.ApiKeys.SecretScanning --dll samples/AdminApi/bin/Release/net10.0/AdminApi.dll [--matches 1000] [--rounds 3]
//        [--postgres "<Npgsql connection string of an existing, empty database>"]
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys;
using P2P.ApiKeys.Benchmarks.Shared;
using P2P.ApiKeys.Testing;

var options = ParseArguments(args);
var dll = Path.GetFullPath(options.GetValueOrDefault("dll") ?? throw new ArgumentException("--dll is required"));
var matches = int.Parse(options.GetValueOrDefault("matches") ?? "1000", CultureInfo.InvariantCulture);
var rounds = int.Parse(options.GetValueOrDefault("rounds") ?? "3", CultureInfo.InvariantCulture);
var postgres = options.GetValueOrDefault("postgres");
var quarter = matches / 4;
using var run = new CancellationTokenSource(TimeSpan.FromMinutes(20)); // the whole run is bounded
var ct = run.Token;

using var gitHub = new GitHubReportSigner();
var directory = Directory.CreateTempSubdirectory("p2p-scanning-bench-").FullName;
try
{
    var settings = new Dictionary<string, string>
    {
        ["ApiKeys__ChangeNotifications"] = postgres is null ? "none" : "postgresql",
        ["ApiKeys__ClientLookupLimit__Limit"] = "0", // the checks below call the data route from one client
        ["Admin__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["SecretScanning__GitHub__PublicKeysFile"] = gitHub.WritePublicKeysFile(directory),
        ["SecretScanning__MaxMatches"] = matches.ToString(CultureInfo.InvariantCulture),
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__P2P.ApiKeys.Caching.ApiKeyChangeReceiver"] = "Information", // event 1103: the notifier listens
    };
    if (postgres is not null)
    {
        settings["Database__Provider"] = "PostgreSql";
        settings["ConnectionStrings__ApiKeys"] = postgres;
    }

    await using var node = await AdminApiNode.StartAsync(dll, settings, ct);
    var token = await AdminApiCalls.BootstrapAdminAsync(node.Client, "a long secret-scanning benchmark passphrase", ct);

    // Well-formed keys the node never issued: minted by a manager of our own, in memory, with the same prefix.
    await using var strangers = new ServiceCollection().AddLogging().AddApiKeyAuth(o => o.KeyPrefix = "p2p").AddInMemoryStores().Services.BuildServiceProvider();
    var strangerManager = strangers.GetRequiredService<IApiKeyManager>();

    var rows = new List<string>();
    for (var round = 0; round <= rounds; round++)
    {
        var size = round == 0 ? Math.Min(40, matches) : matches; // round 0 warms up (JIT, pools, the key set); not reported
        var q = size / 4;
        var active = new List<string>(q);
        var revoked = new List<(string Key, string Id)>(q);
        for (var i = 0; i < q; i++)
        {
            active.Add((await AdminApiCalls.CreateKeyAsync(node.Client, token, $"active {round}.{i}", ct)).Key);
            revoked.Add(await AdminApiCalls.CreateKeyAsync(node.Client, token, $"revoked {round}.{i}", ct));
        }

        var baseline = Stopwatch.StartNew();
        foreach (var (_, id) in revoked)
        {
            await AdminApiCalls.RevokeAsync(node.Client, token, id, ct);
        }

        baseline.Stop();
        var unknown = new List<string>(q);
        for (var i = 0; i < q; i++)
        {
            unknown.Add((await strangerManager.CreateAsync(new() { Name = "stranger" }, ct)).Value!.Key);
        }

        var malformed = active.Select((k, i) => i % 2 == 0 ? k[..^1] + (k[^1] == 'A' ? 'B' : 'A') : "xyz" + k[3..]).ToList();
        var tokens = active.Concat(revoked.Select(r => r.Key)).Concat(unknown).Concat(malformed).OrderBy(_ => Random.Shared.Next()).ToList();
        var expected = new HashSet<string>(active.Concat(revoked.Select(r => r.Key)).Select(GitHubReportSigner.TokenHash), StringComparer.Ordinal);
        var body = GitHubReportSigner.Report(tokens);
        var signature = gitHub.Sign(body);

        var report = await TimeReportAsync(node.Client, gitHub, body, signature, expected, tokens.Count, ct);
        var replay = await TimeReportAsync(node.Client, gitHub, body, signature, expected, tokens.Count, ct);
        foreach (var key in active.Take(10))
        {
            if (await AdminApiCalls.SummaryStatusAsync(node.Client, key, ct) != HttpStatusCode.Unauthorized)
            {
                throw new InvalidOperationException("A reported key is still accepted.");
            }
        }

        if (round > 0)
        {
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {round} | {tokens.Count} | {report:0} | {replay:0} | {baseline.Elapsed.TotalMilliseconds:0} ({q} DELETEs) | {report / baseline.Elapsed.TotalMilliseconds:0.00} |"));
            Console.Error.WriteLine($"[secret-scanning] {rows[^1]}");
        }
    }

    Console.WriteLine($"| round | matches | report ms | replay ms | baseline ms: revoke {quarter} keys by DELETE /admin/keys | report ÷ baseline |");
    Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
    rows.ForEach(Console.WriteLine);
}
finally
{
    Directory.Delete(directory, recursive: true);
}

return 0;

static async Task<double> TimeReportAsync(
    HttpClient client, GitHubReportSigner gitHub, byte[] body, string signature, HashSet<string> expected, int count, CancellationToken cancellationToken)
{
    using var request = gitHub.Request("/secret-scanning/github", body, signature);
    var clock = Stopwatch.StartNew();
    using var response = await client.SendAsync(request, cancellationToken);
    var answer = await response.Content.ReadAsStringAsync(cancellationToken);
    clock.Stop();
    if (response.StatusCode != HttpStatusCode.OK)
    {
        throw new InvalidOperationException($"The report answered {(int)response.StatusCode}: {answer}");
    }

    using var labels = JsonDocument.Parse(answer);
    var seen = 0;
    foreach (var label in labels.RootElement.EnumerateArray())
    {
        seen++;
        var positive = label.GetProperty("label").GetString() == "true_positive";
        if (positive != expected.Contains(label.GetProperty("token_hash").GetString()!))
        {
            throw new InvalidOperationException("A label is wrong.");
        }
    }

    return seen == count ? clock.Elapsed.TotalMilliseconds : throw new InvalidOperationException($"{seen} labels for {count} matches.");
}

static Dictionary<string, string> ParseArguments(string[] args)
{
    var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        parsed[args[i].TrimStart('-')] = args[i + 1];
    }

    return parsed;
}
