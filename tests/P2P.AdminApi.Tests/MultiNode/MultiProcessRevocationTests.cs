using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using P2P.AdminApi.Tests.Infrastructure;
using P2P.ApiKeys.Testing;

namespace P2P.AdminApi.Tests.MultiNode;

/// <summary>
/// Several nodes as they are deployed: the built AdminApi started twice as separate processes on one PostgreSQL
/// database, each with a 10-minute CacheTtl, so that only the change notifier can make node B refuse a key that
/// node A revoked. The revocation goes through A's admin endpoint; B is asked over HTTP until it refuses, within a
/// bound far below the CacheTtl; a leak reported by a secret scanner to one of three nodes likewise. Skips without <c>P2P_POSTGRES</c> (and redis-server for the Redis notifier),
/// unless <c>P2P_REQUIRE_INFRA=1</c>.
/// </summary>
public sealed class MultiProcessRevocationTests : IAsyncLifetime
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(30); // a hang guard under load, far below the CacheTtl
    private readonly ScratchPostgresDatabase _database = new("p2p_multinode", connectTimeoutSeconds: 30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await _database.CreateAsync();

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Revoke_OnNodeA_NodeBProcessRefusesPromptly_PostgreSqlNotifier()
    {
        var settings = RequirePostgreSql("postgresql");
        await RevokeOnOneNodeAndWaitForTheOtherAsync(settings);
    }

    [Fact]
    public async Task Revoke_OnNodeA_NodeBProcessRefusesPromptly_RedisNotifier()
    {
        var settings = RequirePostgreSql("redis");
        await using var redis = await RedisServer.StartNewAsync();
        settings["ConnectionStrings__Redis"] = redis.Configuration;
        await RevokeOnOneNodeAndWaitForTheOtherAsync(settings);
    }

    [Fact]
    public async Task Revoke_OnNodeA_NodeBProcessRefusesPromptly_PollingNotifier()
    {
        var settings = RequirePostgreSql("polling");
        settings["ApiKeys__PollInterval"] = "00:00:00.200";
        await RevokeOnOneNodeAndWaitForTheOtherAsync(settings);
    }

    /// <summary>
    /// Three nodes, a key in use (and cached for 10 minutes) on each; GitHub reports it leaked to one node, and every node
    /// refuses it promptly: the leak is revoked through the manager, so the change notifier carries it like any revocation.
    /// </summary>
    [Fact]
    public async Task LeakReport_OnOneOfThreeNodes_EveryNodeRefusesPromptly_PostgreSqlNotifier()
    {
        var settings = RequirePostgreSql("postgresql");
        var directory = Directory.CreateTempSubdirectory("p2p-multinode-scanning-").FullName;
        using var gitHub = new GitHubReportSigner();
        try
        {
            settings["SecretScanning__GitHub__PublicKeysFile"] = gitHub.WritePublicKeysFile(directory);
            var dll = AdminApiNode.FindDll(RepositoryRoot.Path, Configuration);
            await using var nodeA = await AdminApiNode.StartAsync(dll, settings, Ct); // first alone: it applies the migrations
            await using var nodeB = await AdminApiNode.StartAsync(dll, settings, Ct);
            await using var nodeC = await AdminApiNode.StartAsync(dll, settings, Ct);
            AdminApiNode[] nodes = [nodeA, nodeB, nodeC];

            var admin = await AdminSession.BootstrapAsync(nodeA.Client, "admin", "a long admin passphrase");
            var key = (await admin.CreateKeyResponseAsync(new { name = "Streamlit App Key" })).GetProperty("key").GetString()!;
            foreach (var node in nodes)
            {
                Assert.Equal(HttpStatusCode.OK, await SummaryStatusAsync(node.Client, key)); // cached on each for 10 minutes
            }

            using (var report = gitHub.Request("/secret-scanning/github", GitHubReportSigner.Report([key])))
            using (var answer = await nodeB.Client.SendAsync(report, Ct))
            {
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
                Assert.Contains("\"true_positive\"", await answer.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            }

            Assert.Equal(HttpStatusCode.Unauthorized, await SummaryStatusAsync(nodeB.Client, key));
            var elapsed = System.Diagnostics.Stopwatch.StartNew();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            deadline.CancelAfter(Prompt);
            foreach (var node in nodes)
            {
                var polls = 1;
                while (await SummaryStatusAsync(node.Client, key) != HttpStatusCode.Unauthorized)
                {
                    Assert.False(deadline.IsCancellationRequested, $"{node.BaseUrl} still accepted the leaked key after {Prompt.TotalSeconds} s. Its log:\n{node.Output}");
                    polls++;
                    await Task.Delay(5, Ct);
                }

                TestContext.Current.TestOutputHelper?.WriteLine($"{node.BaseUrl} refused the leaked key {elapsed.ElapsedMilliseconds} ms after the report was answered ({polls} request(s)).");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task RevokeOnOneNodeAndWaitForTheOtherAsync(Dictionary<string, string> settings)
    {
        var dll = AdminApiNode.FindDll(RepositoryRoot.Path, Configuration);
        await using var nodeA = await AdminApiNode.StartAsync(dll, settings, Ct); // first alone: it applies the migrations
        await using var nodeB = await AdminApiNode.StartAsync(dll, settings, Ct);

        var admin = await AdminSession.BootstrapAsync(nodeA.Client, "admin", "a long admin passphrase");
        var created = await admin.CreateKeyResponseAsync(new { name = "Streamlit App Key" });
        var key = created.GetProperty("key").GetString()!;
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await SummaryStatusAsync(nodeB.Client, key)); // cached on B for 10 minutes
        Assert.Equal(HttpStatusCode.OK, await SummaryStatusAsync(nodeA.Client, key));

        using (var revoke = await admin.SendAsync(HttpMethod.Delete, $"/admin/keys/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await SummaryStatusAsync(nodeA.Client, key));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(Prompt);
        while (await SummaryStatusAsync(nodeB.Client, key) != HttpStatusCode.Unauthorized)
        {
            Assert.False(deadline.IsCancellationRequested, $"Node B still accepted the revoked key after {Prompt.TotalSeconds} s. Its log:\n{nodeB.Output}");
            await Task.Delay(20, Ct);
        }
    }

    private Dictionary<string, string> RequirePostgreSql(string notifier)
    {
        if (_database.ConnectionString is null)
        {
            const string reason = "The multi-process tests need P2P_POSTGRES (an Npgsql connection string for a role with CREATEDB).";
            if (Environment.GetEnvironmentVariable("P2P_REQUIRE_INFRA") == "1")
            {
                Assert.Fail(reason + " P2P_REQUIRE_INFRA=1 makes this a failure.");
            }

            Assert.Skip(reason);
        }

        return new Dictionary<string, string>
        {
            ["Database__Provider"] = "PostgreSql",
            ["ConnectionStrings__ApiKeys"] = _database.ConnectionString!,
            ["ApiKeys__CacheTtl"] = "00:10:00",
            ["ApiKeys__ChangeNotifications"] = notifier,
            ["Admin__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };
    }

    private static string Configuration =>
        typeof(MultiProcessRevocationTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    private static async Task<HttpStatusCode> SummaryStatusAsync(HttpClient client, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/p2p/summary");
        request.Headers.Add("X-API-Key", key);
        using var response = await client.SendAsync(request, Ct);
        return response.StatusCode;
    }
}
