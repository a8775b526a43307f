using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using P2P.AdminApi.Tests.Infrastructure;
using P2P.ApiKeys.Testing;

namespace P2P.AdminApi.Tests.MultiNode;

/// <summary>
/// Key events as operators run them: the built AdminApi as its own process on a SQLite file, its dispatcher sending Standard
/// Webhooks to a real receiver on Kestrel in this process (every signature verified with the <c>StandardWebhooks</c>
/// package). The process is killed (SIGKILL) in the middle of 50 key changes and started again on the same file: every
/// change that answered 2xx is delivered at least once, under one <c>webhook-id</c>; none is lost. A second test measures
/// the delivery latency with the default dispatcher settings (printed, never asserted: docs/events.md has the figures).
/// </summary>
public sealed class WebhookCrashProcessTests
{
    private const int Changes = 50;
    private const int KillAfter = 20;                            // 2xx answers before the kill: the middle of the run
    private static readonly TimeSpan DeliveryBound = TimeSpan.FromSeconds(60); // hang guard after the restart, not a timing assertion

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Kill9_InTheMiddleOf50Changes_RestartDeliversEveryAnsweredChange()
    {
        var secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var receiver = await WebhookReceiver.StartAsync(secret);
        var dataDirectory = Directory.CreateTempSubdirectory("p2p-webhook-crash-").FullName;
        try
        {
            var settings = new Dictionary<string, string>
            {
                ["DataDirectory"] = dataDirectory, // both runs: the same adminapi.db
                ["ApiKeys__ChangeNotifications"] = "none",
                ["Admin__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                ["Webhooks__Endpoints__0__Url"] = receiver.Url,
                ["Webhooks__Endpoints__0__Secret"] = secret,
                // A claim of the killed process runs out after 5 s (default 1 min), so the restarted one takes it over within the bound.
                ["Webhooks__LeaseDuration"] = "00:00:05",
                ["Webhooks__Retry__InitialDelay"] = "00:00:01",
            };
            var dll = AdminApiNode.FindDll(RepositoryRoot.Path, Configuration);
            var first = await AdminApiNode.StartAsync(dll, settings, Ct);
            AdminApiNode? second = null;
            try
            {
                var session = await AdminSession.BootstrapAsync(first.Client, "admin", "a long admin passphrase");
                var answered = new ConcurrentBag<(string KeyId, string Type)>();

                // Warm the dispatcher first (JIT, HTTP client, first claim), so that the kill falls among deliveries in flight.
                var warm = await session.CreateKeyResponseAsync(new { name = "warm-up" });
                answered.Add((warm.GetProperty("id").GetString()!, "api_key.created"));
                var warming = Stopwatch.StartNew();
                while (receiver.Accepted.IsEmpty)
                {
                    Assert.True(warming.Elapsed < DeliveryBound, $"The warm-up event never arrived.\n{first.Output}");
                    await Task.Delay(50, Ct);
                }

                var unknown = 0;
                var ok = 0;
                var killNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var restarted = new TaskCompletionSource<AdminSession>(TaskCreationOptions.RunContinuationsAsynchronously);
                var current = session;

                // 50 changes: chains of create, update (rename), revoke, one key each; four chains at a time.
                var chains = new ConcurrentQueue<int>(Enumerable.Range(0, (Changes + 2) / 3));
                var budget = Changes;
                async Task WorkerAsync()
                {
                    while (chains.TryDequeue(out var chain))
                    {
                        string? keyId = null;
                        foreach (var step in new[] { "api_key.created", "api_key.updated", "api_key.revoked" })
                        {
                            if (Interlocked.Decrement(ref budget) < 0)
                            {
                                return;
                            }

                            var admin = Volatile.Read(ref current);
                            try
                            {
                                using var response = step switch
                                {
                                    "api_key.created" => await admin.SendAsync(HttpMethod.Post, "/admin/keys/", new { name = $"crash-{chain}" }),
                                    "api_key.updated" => await admin.SendAsync(HttpMethod.Patch, $"/admin/keys/{keyId}", new { name = $"crash-{chain}-renamed" }),
                                    _ => await admin.SendAsync(HttpMethod.Delete, $"/admin/keys/{keyId}"),
                                };
                                if (!response.IsSuccessStatusCode)
                                {
                                    Assert.Fail($"{step} of chain {chain} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
                                }

                                if (step == "api_key.created")
                                {
                                    using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
                                    keyId = body.RootElement.GetProperty("id").GetString()!;
                                }

                                answered.Add((keyId!, step));
                                if (Interlocked.Increment(ref ok) == KillAfter)
                                {
                                    killNow.TrySetResult();
                                }
                            }
                            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !Ct.IsCancellationRequested)
                            {
                                // Cut off by the kill: the change may or may not have committed, and nobody was told it did.
                                Interlocked.Increment(ref unknown);
                                Volatile.Write(ref current, await restarted.Task.WaitAsync(TimeSpan.FromMinutes(3), Ct));
                                if (keyId is null)
                                {
                                    break; // the key may not exist: the chain ends
                                }
                            }

                            if (killNow.Task.IsCompleted && !restarted.Task.IsCompleted)
                            {
                                Volatile.Write(ref current, await restarted.Task.WaitAsync(TimeSpan.FromMinutes(3), Ct));
                            }
                        }
                    }
                }

                var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(WorkerAsync, Ct)).ToArray();
                await killNow.Task.WaitAsync(TimeSpan.FromMinutes(3), Ct);
                await first.KillAsync();
                var deliveredBeforeKill = receiver.Accepted.Count;
                second = await AdminApiNode.StartAsync(dll, settings, Ct);
                restarted.SetResult(await AdminSession.LogInAsync(second.Client, "admin", "a long admin passphrase"));
                await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(3), Ct);

                var expected = answered.ToHashSet();
                var missing = expected.ToList();
                var waited = Stopwatch.StartNew();
                while (waited.Elapsed < DeliveryBound)
                {
                    var seen = receiver.Accepted.Select(a => (a.Body.GetProperty("data").GetProperty("id").GetString()!, a.Type)).ToHashSet();
                    missing = [.. expected.Where(e => !seen.Contains(e))];
                    if (missing.Count == 0)
                    {
                        break;
                    }

                    await Task.Delay(100, Ct);
                }

                var deliveries = receiver.Accepted.ToArray();
                var byChange = deliveries.GroupBy(a => (a.Body.GetProperty("data").GetProperty("id").GetString()!, a.Type)).ToList();
                TestContext.Current.TestOutputHelper?.WriteLine(
                    $"{expected.Count - 1} changes (+ the warm-up) answered 2xx, {unknown} cut off by the kill; {deliveredBeforeKill} deliveries before the kill, " +
                    $"{deliveries.Length} in all ({deliveries.Length - byChange.Count} repeats), {receiver.BadSignatures} bad signatures; missing {missing.Count}.");
                Assert.True(missing.Count == 0,
                    $"{missing.Count} of {expected.Count} answered changes never arrived: {string.Join(", ", missing)}\nFirst run:\n{first.Output}\nSecond run:\n{second.Output}");
                Assert.Equal(0, receiver.BadSignatures);
                Assert.True(expected.Count >= KillAfter + 1, $"only {expected.Count} changes answered");
                Assert.True(expected.Count - 1 + unknown <= Changes);
                foreach (var change in byChange)
                {
                    Assert.Single(change.Select(a => a.Id).Distinct(StringComparer.Ordinal)); // repeats carry the same webhook-id
                }

                foreach (var id in deliveries.GroupBy(a => a.Id, StringComparer.Ordinal))
                {
                    Assert.Single(id.Select(a => (a.Body.GetProperty("data").GetProperty("id").GetString(), a.Type)).Distinct()); // one id, one change
                }
            }
            finally
            {
                await first.DisposeAsync();
                if (second is not null)
                {
                    await second.DisposeAsync();
                }
            }
        }
        finally
        {
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>
    /// 40 keys created one after another at random moments (0–400 ms apart, so the changes fall anywhere in the poll
    /// interval), default dispatcher settings; prints p50/p95/max from the change's commit (the body's <c>timestamp</c>) and
    /// from the 201 answer to the receipt. Nothing about timing is asserted; every event must arrive.
    /// </summary>
    [Fact]
    public async Task DeliveryLatency_DefaultSettings_IsPrinted()
    {
        var secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var receiver = await WebhookReceiver.StartAsync(secret);
        var dll = AdminApiNode.FindDll(RepositoryRoot.Path, Configuration);
        await using var node = await AdminApiNode.StartAsync(dll, new Dictionary<string, string>
        {
            ["ApiKeys__ChangeNotifications"] = "none",
            ["Admin__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Webhooks__Endpoints__0__Url"] = receiver.Url,
            ["Webhooks__Endpoints__0__Secret"] = secret,
        }, Ct);
        var admin = await AdminSession.BootstrapAsync(node.Client, "admin", "a long admin passphrase");
        const int count = 40;
        var answeredAt = new Dictionary<string, DateTimeOffset>();
        for (var i = 0; i < count; i++)
        {
            await Task.Delay(Random.Shared.Next(0, 400), Ct);
            var response = await admin.CreateKeyResponseAsync(new { name = $"latency-{i}" });
            answeredAt[response.GetProperty("id").GetString()!] = DateTimeOffset.UtcNow;
        }

        var waited = Stopwatch.StartNew();
        while (receiver.Accepted.Count(a => a.Type == "api_key.created") < count && waited.Elapsed < DeliveryBound)
        {
            await Task.Delay(50, Ct);
        }

        var created = receiver.Accepted.Where(a => a.Type == "api_key.created").ToArray();
        Assert.True(created.Length == count, $"{created.Length} of {count} delivered\n{node.Output}");
        var fromCommit = created.Select(a => (a.ReceivedAt - a.Body.GetProperty("timestamp").GetDateTimeOffset()).TotalMilliseconds).Order().ToArray();
        var fromAnswer = created.Select(a => (a.ReceivedAt - answeredAt[a.Body.GetProperty("data").GetProperty("id").GetString()!]).TotalMilliseconds).Order().ToArray();
        var line = string.Create(CultureInfo.InvariantCulture,
            $"webhook latency, {count} creates, default settings (PollInterval 250 ms): from commit p50 {Percentile(fromCommit, 0.5):F0} ms, p95 {Percentile(fromCommit, 0.95):F0} ms, max {fromCommit[^1]:F0} ms; " +
            $"from the 201 answer p50 {Percentile(fromAnswer, 0.5):F0} ms, p95 {Percentile(fromAnswer, 0.95):F0} ms, max {fromAnswer[^1]:F0} ms");
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        if (Environment.GetEnvironmentVariable("P2P_EVENT_LATENCY_FILE") is { Length: > 0 } file)
        {
            await File.AppendAllTextAsync(file, line + Environment.NewLine, Ct);
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string Configuration =>
        typeof(WebhookCrashProcessTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
}
