using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using P2P.AdminApi.Tests.Infrastructure;
using P2P.ApiKeys.Testing;

namespace P2P.AdminApi.Tests.MultiNode;

/// <summary>
/// The held-out rotation scenario against the built AdminApi as operators run it (real processes, real Kestrel): a key
/// with a limit of 5 per hour and a quota of 8 per month, rotated twice over HTTP with 120 s of grace, the old and new
/// keys used in turn. Budgets are kept per lineage, so exactly 5 requests are admitted in total: on one node with its
/// SQLite file, and on three nodes sharing one PostgreSQL database and one real redis-server.
/// </summary>
public sealed class LineageBudgetProcessTests : IAsyncLifetime
{
    private readonly ScratchPostgresDatabase _database = new("p2p_lineage", connectTimeoutSeconds: 30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await _database.CreateAsync();

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task RotateTwiceWithGrace_OneNodeSqlite_AdmitsExactly5()
    {
        var dll = AdminApiNode.FindDll(RepositoryRoot.Path, Configuration);
        await using var node = await AdminApiNode.StartAsync(dll, new Dictionary<string, string>
        {
            ["ApiKeys__ChangeNotifications"] = "none",
            ["Admin__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        }, Ct);

        Assert.Equal(5, await RotateTwiceAndSpendAsync([node]));
    }

    [Fact]
    public async Task RotateTwiceWithGrace_ThreeNodesRedis_AdmitsExactly5()
    {
        if (_database.ConnectionString is null)
        {
            const string reason = "Needs P2P_POSTGRES (an Npgsql connection string for a role with CREATEDB).";
            Assert.SkipWhen(Environment.GetEnvironmentVariable("P2P_REQUIRE_INFRA") != "1", reason);
            Assert.Fail(reason + " P2P_REQUIRE_INFRA=1 makes this a failure.");
        }

        await using var redis = await RedisServer.StartNewAsync();
        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = "PostgreSql",
            ["ConnectionStrings__ApiKeys"] = _database.ConnectionString!,
            ["ConnectionStrings__Redis"] = redis.Configuration,
            ["ApiKeys__ChangeNotifications"] = "redis",
            ["ApiKeys__RedisDecisionTimeout"] = "00:00:05", // a busy test machine must not push a decision to the local fallback
            ["Admin__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };
        var dll = AdminApiNode.FindDll(RepositoryRoot.Path, Configuration);
        await using var a = await AdminApiNode.StartAsync(dll, settings, Ct); // first alone: it applies the migrations
        await using var b = await AdminApiNode.StartAsync(dll, settings, Ct);
        await using var c = await AdminApiNode.StartAsync(dll, settings, Ct);

        Assert.Equal(5, await RotateTwiceAndSpendAsync([a, b, c]));
        foreach (var node in new[] { a, b, c })
        {
            Assert.DoesNotContain("[5200]", node.Output, StringComparison.Ordinal); // no decision fell back to a node's own count
        }
    }

    /// <summary>Mints on the first node, rotates twice there, spends 10 requests per key and phase spread over the nodes.</summary>
    private static async Task<int> RotateTwiceAndSpendAsync(AdminApiNode[] nodes)
    {
        await AwayFromTheHoursEndAsync();
        var admin = await AdminSession.BootstrapAsync(nodes[0].Client, "admin", "a long admin passphrase");
        var created = await admin.CreateKeyResponseAsync(new
        {
            name = "Metered key",
            scopes = new[] { "p2p:read" },
            rate_limit = new { limit = 5, window_seconds = 3600 },
            quota = new { limit = 8, period = "month" },
        });
        var first = created.GetProperty("key").GetString()!;
        var admitted = await SpendAsync(nodes, first);
        var (secondId, second) = await RotateAsync(admin, created.GetProperty("id").GetString()!);
        admitted += await SpendAsync(nodes, second);
        admitted += await SpendAsync(nodes, first); // in its grace period
        var (_, third) = await RotateAsync(admin, secondId);
        admitted += await SpendAsync(nodes, third);
        admitted += await SpendAsync(nodes, second);
        admitted += await SpendAsync(nodes, first);
        return admitted;
    }

    private static async Task<(string Id, string Key)> RotateAsync(AdminSession admin, string id)
    {
        using var response = await admin.SendAsync(HttpMethod.Post, $"/admin/keys/{id}/rotate", new { grace_period_seconds = 120 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return (body.RootElement.GetProperty("id").GetString()!, body.RootElement.GetProperty("key").GetString()!);
    }

    private static async Task<int> SpendAsync(AdminApiNode[] nodes, string key)
    {
        var admitted = 0;
        for (var i = 0; i < 10; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/p2p/summary");
            request.Headers.Add("X-API-Key", key);
            using var response = await nodes[i % nodes.Length].Client.SendAsync(request, Ct);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, response.StatusCode.ToString());
            admitted += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
        }

        return admitted;
    }

    /// <summary>The hour window is real time here: start with at least two minutes of it left, so the test runs in one window.</summary>
    private static async Task AwayFromTheHoursEndAsync()
    {
        var left = 3600 - (DateTimeOffset.UtcNow.ToUnixTimeSeconds() % 3600);
        if (left < 120)
        {
            await Task.Delay(TimeSpan.FromSeconds(left + 1), Ct);
        }
    }

    private static string Configuration =>
        typeof(LineageBudgetProcessTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
}
