using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using P2P.AdminApi.Tests.Infrastructure;

namespace P2P.AdminApi.Tests.EndToEnd;

/// <summary>
/// The seed (<c>docs/admin-workflow.md</c>) done by a client over real HTTP against the sample on Kestrel with a
/// real SQLite file: every step in order, then what must hold afterwards, including across a restart.
/// </summary>
public sealed class AdminWorkflowEndToEndTests : IDisposable
{
    internal const string AdminUser = "admin";
    internal const string AdminPassword = "a long admin passphrase";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("p2p-adminapi-e2e-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    [Fact]
    public async Task SeedWorkflow_OnSqlite_KeyWorksIsShownOnceAndSurvivesARestart()
    {
        string seedKey;
        string revokedKey;
        await using (var host = SampleHost.Start(_dataDirectory))
        {
            (seedKey, revokedKey) = await SeedWorkflow.RunAsync(host, Ct);

            // Nothing the run sent or received is in any log line.
            var secrets = new[] { seedKey, revokedKey, AdminPassword, SeedWorkflow.LastAccessToken! };
            foreach (var record in host.Logs.GetSnapshot())
            {
                var line = record.Message + " " + record.Exception;
                Assert.DoesNotContain(secrets, s => line.Contains(s, StringComparison.Ordinal));
            }
        }

        Assert.True(File.Exists(Path.Combine(_dataDirectory, "adminapi.db")));

        // Durability: a new process on the same data directory knows the admin, the key and the revocation.
        await using (var restarted = SampleHost.Start(_dataDirectory))
        {
            await SeedWorkflow.AssertStateSurvivedAsync(restarted.Client, seedKey, revokedKey, Ct);
        }
    }

    [Fact]
    public async Task KeyChanges_InParallelOnSqlite_ExactlyOneWinsTheOthersGet409()
    {
        await using var host = SampleHost.Start(_dataDirectory);
        await ParallelKeyChanges.AssertExactlyOneWinsAsync(host, Ct);
    }
}

/// <summary>The seed's steps and the checks after them, shared by the SQLite and PostgreSQL runs.</summary>
internal static class SeedWorkflow
{
    public static string? LastAccessToken { get; private set; }

    /// <summary>Runs steps 2–4 and the checks; returns the seed's key (still valid) and a revoked key.</summary>
    public static async Task<(string SeedKey, string RevokedKey)> RunAsync(SampleHost host, CancellationToken ct)
    {
        var client = host.Client;

        // Step 2: create the admin account (one-time, anonymous) with a JSON body.
        using (var created = await client.PostAsJsonAsync(
            "/admin/users/", new { username = AdminWorkflowEndToEndTests.AdminUser, password = AdminWorkflowEndToEndTests.AdminPassword }, ct))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        // Step 3: log in with application/x-www-form-urlencoded fields.
        var admin = await AdminSession.LogInAsync(client, AdminWorkflowEndToEndTests.AdminUser, AdminWorkflowEndToEndTests.AdminPassword);
        LastAccessToken = admin.AccessToken;

        // Step 4: create the key with a name only, as the seed does.
        var firstSeen = host.Recorder.Responses.Count;
        var created4 = await admin.CreateKeyResponseAsync(new { name = "Streamlit App Key" });
        var seedKey = created4.GetProperty("key").GetString()!;
        var seedKeyId = created4.GetProperty("id").GetString()!;
        Assert.StartsWith("p2p_", seedKey, StringComparison.Ordinal);
        Assert.Equal(["p2p:read"], created4.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        var creationResponses = host.Recorder.Responses.Count;

        // The key is listed and can be looked up: metadata only.
        using (var list = await admin.SendAsync(HttpMethod.Get, "/admin/keys/"))
        {
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            Assert.Contains(seedKeyId, await list.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        using (var one = await admin.SendAsync(HttpMethod.Get, $"/admin/keys/{seedKeyId}"))
        {
            Assert.Equal(HttpStatusCode.OK, one.StatusCode);
            using var body = JsonDocument.Parse(await one.Content.ReadAsStringAsync(ct));
            Assert.Equal("Streamlit App Key", body.RootElement.GetProperty("name").GetString());
            Assert.False(body.RootElement.TryGetProperty("key", out _));
        }

        // Every data route of the contract (taken from the OpenAPI document, so a new route is covered too).
        var dataRoutes = await DataRoutesAsync(client, ct);
        Assert.True(dataRoutes.Count >= 8, $"expected the P2P data routes, found {dataRoutes.Count}");
        foreach (var route in dataRoutes)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, route);
            request.Headers.Add("X-API-Key", seedKey);
            using var response = await client.SendAsync(request, ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {route} with the seed's key: {(int)response.StatusCode}");
        }

        // No key: 401. A key without p2p:read: 403.
        using (var anonymous = await client.GetAsync("/api/p2p/summary", ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        // The sample declares its scopes: an unknown one is refused with the list of known ones.
        using (var unknownScope = await admin.SendAsync(HttpMethod.Post, "/admin/keys/", new { name = "Reports only", scopes = new[] { "reports:read" } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unknownScope.StatusCode);
            Assert.Contains("Known scopes: admin:audit:read, admin:keys:read, admin:keys:write, admin:users:write, p2p:read", await unknownScope.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        var narrowKey = (await admin.CreateKeyResponseAsync(new { name = "No scopes", scopes = Array.Empty<string>() }))
            .GetProperty("key").GetString()!;
        using (var forbidden = await GetSummaryAsync(client, narrowKey, ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        // Revoke: a key that worked a moment ago (and is in the verification cache) is refused on the next request.
        var doomed = await admin.CreateKeyResponseAsync(new { name = "Revoke me" });
        var doomedKey = doomed.GetProperty("key").GetString()!;
        using (var before = await GetSummaryAsync(client, doomedKey, ct))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using (var revoke = await admin.SendAsync(HttpMethod.Delete, $"/admin/keys/{doomed.GetProperty("id").GetString()}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using (var after = await GetSummaryAsync(client, doomedKey, ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        }

        // The one-time setup is over: a second bootstrap without a token is refused and creates nobody.
        using (var second = await client.PostAsJsonAsync("/admin/users/", new { username = "intruder", password = "another long passphrase" }, ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        }

        using (var users = await admin.SendAsync(HttpMethod.Get, "/admin/users/"))
        {
            Assert.DoesNotContain("intruder", await users.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        using (var health = await client.GetAsync("/healthz", ct))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal("Healthy", await health.Content.ReadAsStringAsync(ct));
        }

        // Shown once: no response after the creating one carries the seed's key (lists, lookups, data, errors).
        var later = host.Recorder.Responses.Skip(creationResponses).ToList();
        Assert.True(creationResponses - firstSeen == 1, "exactly one response for the creation");
        Assert.Contains(seedKey, host.Recorder.Responses[creationResponses - 1], StringComparison.Ordinal);
        Assert.NotEmpty(later);
        Assert.DoesNotContain(later, r => r.Contains(seedKey, StringComparison.Ordinal));

        return (seedKey, doomedKey);
    }

    /// <summary>After a restart: the admin logs in, the seed's key still reads data, the revoked key is still refused.</summary>
    public static async Task AssertStateSurvivedAsync(HttpClient client, string seedKey, string revokedKey, CancellationToken ct)
    {
        using (var health = await client.GetAsync("/healthz", ct))
        {
            Assert.Equal("Healthy", await health.Content.ReadAsStringAsync(ct));
        }

        var admin = await AdminSession.LogInAsync(client, AdminWorkflowEndToEndTests.AdminUser, AdminWorkflowEndToEndTests.AdminPassword);
        using (var keys = await admin.SendAsync(HttpMethod.Get, "/admin/keys/"))
        {
            Assert.Contains("Streamlit App Key", await keys.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        using (var ok = await GetSummaryAsync(client, seedKey, ct))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var revoked = await GetSummaryAsync(client, revokedKey, ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        }

        using (var bootstrap = await client.PostAsJsonAsync("/admin/users/", new { username = "second", password = "another long passphrase" }, ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, bootstrap.StatusCode);
        }
    }

    private static async Task<HttpResponseMessage> GetSummaryAsync(HttpClient client, string key, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/p2p/summary");
        request.Headers.Add("X-API-Key", key);
        return await client.SendAsync(request, ct);
    }

    private static async Task<List<string>> DataRoutesAsync(HttpClient client, CancellationToken ct)
    {
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json", ct));
        return document.RootElement.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/api/p2p/", StringComparison.Ordinal) && p.Value.TryGetProperty("get", out _))
            .Select(p => p.Name)
            .ToList();
    }
}
