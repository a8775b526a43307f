using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.SecretScanning;
using P2P.ApiKeys.Testing;

namespace P2P.ApiKeys.Tests.SecretScanning;

/// <summary>
/// GitHub's key set from its URL, through the host-configurable HTTP client whose primary handler is replaced here by a
/// fake GitHub (the true boundary): fetched once, fetched again for an unknown identifier at most once a minute, kept
/// when a fetch fails, revalidated with the ETag.
/// </summary>
public sealed class GitHubPublicKeysTests
{
    private static readonly Uri KeysUrl = new(GitHubSecretScanningOptions.DefaultPublicKeysUrl);

    [Fact]
    public async Task Url_KeysFetchedOnceAndCached()
    {
        var gitHub = new FakeGitHub();
        await using var scanning = await StartAsync(gitHub);
        gitHub.Serve(scanning.Signer);

        using var first = await scanning.ReportAsync("a");
        using var second = await scanning.ReportAsync("b");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, gitHub.Requests);
        Assert.Equal(KeysUrl, gitHub.LastRequest!.RequestUri);
        Assert.Contains("P2P.ApiKeys", gitHub.LastRequest.Headers.UserAgent.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Url_UnknownIdentifier_FetchedAgainAtMostOnceAMinute()
    {
        var gitHub = new FakeGitHub();
        await using var scanning = await StartAsync(gitHub);
        using var newKey = new GitHubReportSigner();
        gitHub.Serve(scanning.Signer);
        using (var known = await scanning.ReportAsync("a"))
        {
            Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        }

        var body = GitHubReportSigner.Report(["b"]);
        scanning.Host.Time.Advance(TimeSpan.FromSeconds(61));
        using (var unknown = await scanning.Host.Client.SendAsync(newKey.Request(SecretScanningTestHost.GitHubPath, body), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode); // fetched again: GitHub does not list it yet
        }

        Assert.Equal(2, gitHub.Requests);
        gitHub.Serve(scanning.Signer, newKey); // GitHub publishes its new key

        for (var i = 0; i < 5; i++)
        {
            scanning.Host.Time.Advance(TimeSpan.FromSeconds(10));
            using var flood = await scanning.Host.Client.SendAsync(newKey.Request(SecretScanningTestHost.GitHubPath, body), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, flood.StatusCode);
        }

        Assert.Equal(2, gitHub.Requests); // within the minute: no fetch, whatever the traffic

        scanning.Host.Time.Advance(TimeSpan.FromSeconds(11));
        using var accepted = await scanning.Host.Client.SendAsync(newKey.Request(SecretScanningTestHost.GitHubPath, body), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(3, gitHub.Requests);
    }

    [Fact]
    public async Task Url_FetchFailsLater_KeysLoadedBeforeAreKept()
    {
        var gitHub = new FakeGitHub();
        await using var scanning = await StartAsync(gitHub);
        gitHub.Serve(scanning.Signer);
        using (await scanning.ReportAsync("a"))
        {
        }

        gitHub.Status = HttpStatusCode.ServiceUnavailable;
        scanning.Host.Time.Advance(TimeSpan.FromDays(1)); // the copy is old: fetched again, and that fails

        using var report = await scanning.ReportAsync("b");

        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Equal(2, gitHub.Requests);
        Assert.Contains(scanning.Host.Logs.GetSnapshot(), r => r.Id.Id == 1604);
    }

    [Fact]
    public async Task Url_OldCopy_RevalidatedWithTheETag()
    {
        var gitHub = new FakeGitHub { ETag = "\"v1\"" };
        await using var scanning = await StartAsync(gitHub);
        gitHub.Serve(scanning.Signer);
        using (await scanning.ReportAsync("a"))
        {
        }

        scanning.Host.Time.Advance(TimeSpan.FromDays(1));
        using var report = await scanning.ReportAsync("b");

        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Equal(2, gitHub.Requests);
        Assert.Equal("\"v1\"", gitHub.LastRequest!.Headers.IfNoneMatch.Single().Tag);
    }

    [Fact]
    public async Task Url_UnusableEntries_SkippedOthersUsed()
    {
        var gitHub = new FakeGitHub();
        await using var scanning = await StartAsync(gitHub);
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        using var p384 = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        var good = GitHubReportSigner.PublicKeysJson(scanning.Signer);
        gitHub.Document = good.Replace("\"public_keys\":[", "\"public_keys\":["
            + $"{{\"key_identifier\":\"rsa\",\"key\":{System.Text.Json.JsonSerializer.Serialize(rsa.ExportSubjectPublicKeyInfoPem())},\"is_current\":false}},"
            + $"{{\"key_identifier\":\"p384\",\"key\":{System.Text.Json.JsonSerializer.Serialize(p384.ExportSubjectPublicKeyInfoPem())},\"is_current\":false}},"
            + "{\"key_identifier\":\"junk\",\"key\":\"-----BEGIN PUBLIC KEY-----\\nnope\\n-----END PUBLIC KEY-----\",\"is_current\":false},"
            + "{\"key\":\"no identifier\"},", StringComparison.Ordinal);

        using var report = await scanning.ReportAsync("a");

        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Equal(4, scanning.Host.Logs.GetSnapshot().Count(r => r.Id.Id == 1605));
    }

    [Fact]
    public async Task FileAndUrl_KeysOfBothAccepted()
    {
        var gitHub = new FakeGitHub();
        using var other = new GitHubReportSigner();
        gitHub.Serve(other);
        await using var scanning = await SecretScanningTestHost.StartAsync(
            o => o.GitHub.PublicKeysUrl = KeysUrl,
            services => services.AddHttpClient(GitHubSecretScanningOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => gitHub));
        var body = GitHubReportSigner.Report(["a"]);

        using var fromFile = await scanning.ReportAsync("a");
        using var fromUrl = await scanning.Host.Client.SendAsync(other.Request(SecretScanningTestHost.GitHubPath, body), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, fromFile.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fromUrl.StatusCode);
    }

    private static Task<SecretScanningTestHost> StartAsync(FakeGitHub gitHub) =>
        SecretScanningTestHost.StartAsync(
            o => o.GitHub.PublicKeysUrl = KeysUrl,
            services => services.AddHttpClient(GitHubSecretScanningOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => gitHub),
            withKeyFile: false);

    /// <summary>api.github.com's key endpoint, in process: the document it serves, its status, the requests it got.</summary>
    private sealed class FakeGitHub : HttpMessageHandler
    {
        private int _requests;

        public string Document { get; set; } = "{\"public_keys\":[]}";

        public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;

        public string? ETag { get; init; }

        public int Requests => Volatile.Read(ref _requests);

        public HttpRequestMessage? LastRequest { get; private set; }

        public void Serve(params GitHubReportSigner[] signers) => Document = GitHubReportSigner.PublicKeysJson(signers);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            LastRequest = request;
            if (ETag is not null && request.Headers.IfNoneMatch.Any(t => t.Tag == ETag))
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotModified));
            }

            var response = new HttpResponseMessage(Status) { Content = new StringContent(Document, Encoding.UTF8, "application/json") };
            if (ETag is not null)
            {
                response.Headers.ETag = new System.Net.Http.Headers.EntityTagHeaderValue(ETag);
            }

            return Task.FromResult(response);
        }
    }
}
