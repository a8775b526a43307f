using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.SecretScanning;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Testing;
using P2P.ApiKeys.Tests.TestSupport;
using P2P.ApiKeys.Management;

namespace P2P.ApiKeys.Tests.SecretScanning;

/// <summary>
/// <see cref="ApiKeyTestHost"/> (TestServer, in-memory stores, fake clock, logs captured) with the secret-scanning
/// endpoints mapped: GitHub with a key pair made here (its public key in a file in GitHub's format), GitLab with a shared
/// secret. Keys are minted through <see cref="IApiKeyManager"/>.
/// </summary>
internal sealed class SecretScanningTestHost : IAsyncDisposable
{
    public const string GitLabSecret = "gitlab-shared-secret-0123456789abcdef";
    public const string GitHubPath = "/secret-scanning/github";

    private readonly string _directory;

    private SecretScanningTestHost(ApiKeyTestHost host, GitHubReportSigner signer, string directory)
    {
        Host = host;
        Signer = signer;
        _directory = directory;
    }

    public ApiKeyTestHost Host { get; }

    public GitHubReportSigner Signer { get; }

    public IApiKeyManager Manager => Host.Services.GetRequiredService<IApiKeyManager>();

    public CountingApiKeyStore Store => Host.Store;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<SecretScanningTestHost> StartAsync(
        Action<SecretScanningOptions>? configure = null, Action<IServiceCollection>? configureServices = null, bool withKeyFile = true)
    {
        var directory = Directory.CreateTempSubdirectory("p2p-scanning-").FullName;
        var signer = new GitHubReportSigner();
        var keysFile = withKeyFile ? signer.WritePublicKeysFile(directory) : null;
        var host = await ApiKeyTestHost.StartAsync(
            configureServices: services =>
            {
                services.AddApiKeyAuth().AddSecretScanning(o =>
                {
                    o.GitHub.PublicKeysFile = keysFile;
                    o.GitLab.SharedSecret = GitLabSecret;
                    configure?.Invoke(o);
                });
                configureServices?.Invoke(services);
            },
            mapEndpoints: app => app.MapSecretScanningEndpoints());
        return new SecretScanningTestHost(host, signer, directory);
    }

    public async Task<(string Key, ApiKeyRecord Record)> CreateKeyAsync(string name = "Leaky key")
    {
        var created = await Manager.CreateAsync(new() { Name = name, Owner = "customer-1", Scopes = ["p2p:read"] }, Ct);
        Assert.True(created.Succeeded);
        return (created.Value.Key, created.Value.Record);
    }

    public async Task<ApiKeyRecord> ReadAsync(Guid id) => (await Manager.GetAsync(id, Ct)).Value!;

    /// <summary>Signs and posts a report of <paramref name="tokens"/>.</summary>
    public Task<HttpResponseMessage> ReportAsync(params string[] tokens) => PostAsync(GitHubReportSigner.Report(tokens));

    public Task<HttpResponseMessage> PostAsync(byte[] body, string? signature = null, string? identifier = null, string contentType = "application/json")
    {
        var request = Signer.Request(GitHubPath, body, signature, identifier, contentType);
        return Host.Client.SendAsync(request, Ct);
    }

    /// <summary>The answer's labels by token hash.</summary>
    public static async Task<Dictionary<string, string>> LabelsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, body);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var label in JsonDocument.Parse(body).RootElement.EnumerateArray())
        {
            Assert.Equal(["label", "token_hash", "token_type"], label.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            labels[label.GetProperty("token_hash").GetString()!] = label.GetProperty("label").GetString()!;
        }

        return labels;
    }

    /// <summary>The audit entries a scanner caused (the keys the tests create through the manager are audited too).</summary>
    public async Task<List<AdminAuditEntry>> AuditAsync()
    {
        var entries = new List<AdminAuditEntry>();
        await foreach (var entry in Host.Services.GetRequiredService<IAdminAuditStore>().ListAsync(0, 1000, Ct))
        {
            if (entry.ActorKind == "scanner")
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    public async Task<System.Net.HttpStatusCode> UseAsync(string key)
    {
        using var response = await Host.GetAsync("/read", key);
        return response.StatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Signer.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
