using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.KeyFormat;
using P2P.ApiKeys.Tests.TestSupport;
using P2P.Tests.Shared;

namespace P2P.ApiKeys.Tests.SecretScanning;

/// <summary>GitLab's Token Revocation API as a GitLab Self-Managed instance calls it: the shared secret as the <c>Authorization</c> value.</summary>
public sealed class GitLabRevocationTests
{
    private const string TypesPath = "/secret-scanning/gitlab/v1/revocable_token_types";
    private const string RevokePath = "/secret-scanning/gitlab/v1/revoke_tokens";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RevocableTokenTypes_WithTheSharedSecret_ListsTheConfiguredType()
    {
        await using var scanning = await SecretScanningTestHost.StartAsync(o => o.GitLab.TokenType = "gitleaks_rule_id_p2p_api_key");

        using var response = await SendAsync(scanning, HttpMethod.Get, TypesPath, null, SecretScanningTestHost.GitLabSecret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"types\":[\"gitleaks_rule_id_p2p_api_key\"]}", await response.Content.ReadAsStringAsync(Ct));
    }

    public static TheoryData<string> WrongSecrets() => new()
    {
        "(none)",
        "",
        "Bearer ",
        SecretScanningTestHost.GitLabSecret + "x",
        SecretScanningTestHost.GitLabSecret[..^1],
        SecretScanningTestHost.GitLabSecret.ToUpperInvariant(),
    };

    [Theory]
    [MemberData(nameof(WrongSecrets))]
    public async Task BothEndpoints_WrongOrMissingSecret_UnauthorizedAndNothingDone(string secretOrNone)
    {
        var secret = secretOrNone == "(none)" ? null : secretOrNone;
        await using var scanning = await SecretScanningTestHost.StartAsync();
        var (key, record) = await scanning.CreateKeyAsync();

        using var types = await SendAsync(scanning, HttpMethod.Get, TypesPath, null, secret);
        using var revoke = await SendAsync(scanning, HttpMethod.Post, RevokePath, Tokens("p2p_api_key", key), secret);

        await ProblemAssert.IsProblemAsync(types, HttpStatusCode.Unauthorized);
        var problem = await ProblemAssert.IsProblemAsync(revoke, HttpStatusCode.Unauthorized);
        Assert.DoesNotContain(SecretScanningTestHost.GitLabSecret, problem.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, scanning.Store.Lookups);
        Assert.Null((await scanning.ReadAsync(record.Id)).RevokedAt);
    }

    [Theory]
    [InlineData(SecretScanningTestHost.GitLabSecret)]
    [InlineData("Bearer " + SecretScanningTestHost.GitLabSecret)]
    public async Task RevokeTokens_OurKeyAmongOthers_NoContentAndOurKeyRevokedWithAudit(string authorization)
    {
        await using var scanning = await SecretScanningTestHost.StartAsync();
        var (key, record) = await scanning.CreateKeyAsync();
        var unknown = scanning.Host.Services.GetRequiredService<ApiKeyFormat>().Generate().Key;

        using var response = await SendAsync(scanning, HttpMethod.Post, RevokePath, Tokens("p2p_api_key", key, unknown, TestKeys.WithBadChecksum(key)), authorization);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(2, scanning.Store.Lookups); // ours and the unknown one; the malformed one never reaches the store
        Assert.NotNull((await scanning.ReadAsync(record.Id)).RevokedAt);
        Assert.Equal(HttpStatusCode.Unauthorized, await scanning.UseAsync(key));
        var entry = Assert.Single(await scanning.AuditAsync());
        Assert.Equal("key.revoked", entry.Action);
        Assert.Equal("secret scanner (gitlab: https://gitlab.example/acme/app/-/blob/main/0.env)", entry.Actor);
    }

    [Fact]
    public async Task RevokeTokens_Replayed_NoContentAndNothingChanges()
    {
        await using var scanning = await SecretScanningTestHost.StartAsync();
        var (key, record) = await scanning.CreateKeyAsync();
        var body = Tokens("p2p_api_key", key);
        using (var first = await SendAsync(scanning, HttpMethod.Post, RevokePath, body, SecretScanningTestHost.GitLabSecret))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        }

        var afterFirst = await scanning.ReadAsync(record.Id);

        using var replay = await SendAsync(scanning, HttpMethod.Post, RevokePath, body, SecretScanningTestHost.GitLabSecret);

        Assert.Equal(HttpStatusCode.NoContent, replay.StatusCode);
        Assert.Equal(afterFirst.ConcurrencyStamp, (await scanning.ReadAsync(record.Id)).ConcurrencyStamp);
        Assert.Single(await scanning.AuditAsync());
    }

    [Fact]
    public async Task RevokeTokens_UnsupportedType_BadRequestAndNothingDone()
    {
        await using var scanning = await SecretScanningTestHost.StartAsync();
        var (key, record) = await scanning.CreateKeyAsync();
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new object[]
        {
            new { type = "p2p_api_key", token = key, location = "https://gitlab.example/a" },
            new { type = "gitleaks_rule_id_aws", token = "AKIA…", location = "https://gitlab.example/b" },
        }));

        using var response = await SendAsync(scanning, HttpMethod.Post, RevokePath, body, SecretScanningTestHost.GitLabSecret);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.DoesNotContain(key, problem.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, scanning.Store.Lookups);
        Assert.Null((await scanning.ReadAsync(record.Id)).RevokedAt);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[{\"type\":\"p2p_api_key\"}]")]
    [InlineData("[{\"token\":\"x\",\"location\":\"y\"}]")]
    [InlineData("nope")]
    public async Task RevokeTokens_NotAListOfTokens_BadRequest(string json)
    {
        await using var scanning = await SecretScanningTestHost.StartAsync();

        using var response = await SendAsync(scanning, HttpMethod.Post, RevokePath, Encoding.UTF8.GetBytes(json), SecretScanningTestHost.GitLabSecret);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task RevokeTokens_Oversized_PayloadTooLarge()
    {
        await using var scanning = await SecretScanningTestHost.StartAsync(o => o.MaxRequestBodyBytes = 1024);
        var (key, record) = await scanning.CreateKeyAsync();

        using var response = await SendAsync(scanning, HttpMethod.Post, RevokePath, Tokens("p2p_api_key", [key, .. Enumerable.Repeat("x", 20)]), SecretScanningTestHost.GitLabSecret);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Null((await scanning.ReadAsync(record.Id)).RevokedAt);
    }

    [Fact]
    public async Task GitLabAndGitHub_RateLimitedSeparately()
    {
        await using var scanning = await SecretScanningTestHost.StartAsync(o => o.RateLimit = new(1, TimeSpan.FromMinutes(1)));
        using (var first = await SendAsync(scanning, HttpMethod.Get, TypesPath, null, SecretScanningTestHost.GitLabSecret))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var throttled = await SendAsync(scanning, HttpMethod.Get, TypesPath, null, SecretScanningTestHost.GitLabSecret);
        using var gitHub = await scanning.ReportAsync("nothing");

        await ProblemAssert.IsProblemAsync(throttled, HttpStatusCode.TooManyRequests);
        Assert.True(throttled.Headers.Contains("Retry-After"));
        Assert.Equal(HttpStatusCode.OK, gitHub.StatusCode);
    }

    private static byte[] Tokens(string type, params string[] tokens) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(tokens.Select((token, i) => new { type, token, location = $"https://gitlab.example/acme/app/-/blob/main/{i}.env" })));

    private static Task<HttpResponseMessage> SendAsync(SecretScanningTestHost scanning, HttpMethod method, string path, byte[]? body, string? authorization)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return scanning.Host.Client.SendAsync(request, Ct);
    }
}
