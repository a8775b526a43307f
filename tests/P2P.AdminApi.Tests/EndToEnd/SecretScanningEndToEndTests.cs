using System.Net;
using System.Text;
using System.Text.Json;
using P2P.AdminApi.Tests.Infrastructure;
using P2P.ApiKeys.Testing;

namespace P2P.AdminApi.Tests.EndToEnd;

/// <summary>
/// The sample on real Kestrel with SQLite, configured as an operator would (<c>SecretScanning:*</c>): a key made through
/// the admin endpoints, leaked, reported by "GitHub" (a key pair made here, its public key in a file in GitHub's format)
/// or GitLab over a real socket, and refused from then on, with the scanner named in the audit trail.
/// </summary>
public sealed class SecretScanningEndToEndTests : IDisposable
{
    private const string GitLabSecret = "gitlab-revocation-secret-0123456789abcdef";
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("p2p-adminapi-scanning-").FullName;
    private readonly GitHubReportSigner _gitHub = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _gitHub.Dispose();
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
    public async Task GitHubReport_OnKestrel_KeyRefusedAndAuditedAsTheScanner()
    {
        await using var host = SampleHost.Start(_dataDirectory, new Dictionary<string, string?>
        {
            ["SecretScanning:GitHub:PublicKeysFile"] = _gitHub.WritePublicKeysFile(_dataDirectory),
        });
        var admin = await AdminSession.BootstrapAsync(host.Client, "admin", "a long admin passphrase");
        var created = await admin.CreateKeyResponseAsync(new { name = "Streamlit App Key" });
        var key = created.GetProperty("key").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await SummaryStatusAsync(host.Client, key));

        using var request = _gitHub.Request("/secret-scanning/github", GitHubReportSigner.Report([key, "p2p_not_a_key"]));
        using var response = await host.Client.SendAsync(request, Ct);

        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            $"[{{\"token_hash\":\"{GitHubReportSigner.TokenHash(key)}\",\"token_type\":\"p2p_api_key\",\"label\":\"true_positive\"}}," +
            $"{{\"token_hash\":\"{GitHubReportSigner.TokenHash("p2p_not_a_key")}\",\"token_type\":\"p2p_api_key\",\"label\":\"false_positive\"}}]",
            body);
        Assert.Equal(HttpStatusCode.Unauthorized, await SummaryStatusAsync(host.Client, key));
        var entry = await LastAuditEntryAsync(admin);
        Assert.Equal("key.revoked", entry.GetProperty("action").GetString());
        Assert.Equal(created.GetProperty("id").GetString(), entry.GetProperty("target").GetString());
        Assert.StartsWith("secret scanner (github: https://github.com/", entry.GetProperty("actor").GetString(), StringComparison.Ordinal);

        // One changed byte of a signed report: 401, nothing parsed.
        var tampered = GitHubReportSigner.Report([key]);
        using var forged = _gitHub.Request("/secret-scanning/github", [.. tampered[..^2], (byte)' ', tampered[^1]], _gitHub.Sign(tampered));
        using var refused = await host.Client.SendAsync(forged, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task GitLabRevokeTokens_OnKestrel_KeyRefused()
    {
        await using var host = SampleHost.Start(_dataDirectory, new Dictionary<string, string?>
        {
            ["SecretScanning:GitLab:SharedSecret"] = GitLabSecret,
            ["SecretScanning:Action"] = "disable",
        });
        var admin = await AdminSession.BootstrapAsync(host.Client, "admin", "a long admin passphrase");
        var key = await admin.CreateKeyAsync("Streamlit App Key");
        using var types = new HttpRequestMessage(HttpMethod.Get, "/secret-scanning/gitlab/v1/revocable_token_types");
        types.Headers.TryAddWithoutValidation("Authorization", GitLabSecret);
        using (var typesResponse = await host.Client.SendAsync(types, Ct))
        {
            Assert.Equal("{\"types\":[\"p2p_api_key\"]}", await typesResponse.Content.ReadAsStringAsync(Ct));
        }

        using var revoke = new HttpRequestMessage(HttpMethod.Post, "/secret-scanning/gitlab/v1/revoke_tokens")
        {
            Content = new StringContent(JsonSerializer.Serialize(new[] { new { type = "p2p_api_key", token = key, location = "https://gitlab.example/a/b/-/blob/main/.env" } }), Encoding.UTF8, "application/json"),
        };
        revoke.Headers.TryAddWithoutValidation("Authorization", GitLabSecret);
        using var response = await host.Client.SendAsync(revoke, Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await SummaryStatusAsync(host.Client, key));
        Assert.Equal("key.disabled", (await LastAuditEntryAsync(admin)).GetProperty("action").GetString());
    }

    [Fact]
    public async Task NotConfigured_NothingMapped()
    {
        await using var host = SampleHost.Start(_dataDirectory);

        using var report = _gitHub.Request("/secret-scanning/github", GitHubReportSigner.Report(["x"]));
        using var response = await host.Client.SendAsync(report, Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static async Task<JsonElement> LastAuditEntryAsync(AdminSession admin)
    {
        using var audit = await admin.SendAsync(HttpMethod.Get, "/admin/audit");
        using var document = JsonDocument.Parse(await audit.Content.ReadAsStringAsync(Ct));
        return document.RootElement.GetProperty("items")[0].Clone();
    }

    private static async Task<HttpStatusCode> SummaryStatusAsync(HttpClient client, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/p2p/summary");
        request.Headers.Add("X-API-Key", key);
        using var response = await client.SendAsync(request, Ct);
        return response.StatusCode;
    }
}
