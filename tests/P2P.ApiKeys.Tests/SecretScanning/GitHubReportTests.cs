using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.KeyFormat;
using P2P.ApiKeys.SecretScanning;
using P2P.ApiKeys.Testing;
using P2P.ApiKeys.Tests.TestSupport;
using P2P.Tests.Shared;

namespace P2P.ApiKeys.Tests.SecretScanning;

/// <summary>
/// <c>POST /secret-scanning/github</c> as GitHub calls it: reports signed with a key pair made in the test, keys minted
/// through <see cref="IApiKeyManager"/>, their use checked on the real authentication path.
/// </summary>
public sealed class GitHubReportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Report_MixOfTokens_LabelsEachRevokesOursAndAuditsWithTheLocation()
    {
        await using var scanning = await SecretScanningTestHost.StartAsync();
        var (leaked, record) = await scanning.CreateKeyAsync();
        var (other, otherRecord) = await scanning.CreateKeyAsync("Not leaked");
        var wrongSecret = TestKeys.WithChecksum(leaked[..17] + new string('Z', 32));
        var unknown = scanning.Host.Services.GetRequiredService<ApiKeyFormat>().Generate().Key;
        var badChecksum = TestKeys.WithBadChecksum(leaked);
        var wrongPrefix = "xyz" + leaked[3..];
        Assert.Equal(HttpStatusCode.OK, await scanning.UseAsync(leaked));

        using var response = await scanning.ReportAsync(leaked, wrongSecret, unknown, badChecksum, wrongPrefix, "not-a-key");

        var body = await response.Content.ReadAsStringAsync(Ct);
        var labels = await SecretScanningTestHost.LabelsAsync(response);
        Assert.Equal("true_positive", labels[GitHubReportSigner.TokenHash(leaked)]);
        foreach (var token in new[] { wrongSecret, unknown, badChecksum, wrongPrefix, "not-a-key" })
        {
            Assert.Equal("false_positive", labels[GitHubReportSigner.TokenHash(token)]);
        }

        Assert.Contains("\"token_type\":\"p2p_api_key\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain(leaked, body, StringComparison.Ordinal);
        Assert.DoesNotContain(record.LookupId, body, StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());

        // Refused at once on this node, through the manager (so the change notifier tells the others).
        Assert.NotNull((await scanning.ReadAsync(record.Id)).RevokedAt);
        Assert.Equal(HttpStatusCode.Unauthorized, await scanning.UseAsync(leaked));
        Assert.Null((await scanning.ReadAsync(otherRecord.Id)).RevokedAt);
        Assert.Equal(HttpStatusCode.OK, await scanning.UseAsync(other));

        var entry = Assert.Single(await scanning.AuditAsync());
        Assert.Equal("key.revoked", entry.Action);
        Assert.Equal(record.Id.ToString(), entry.Target);
        Assert.Equal("secret scanner (github: https://github.com/octocat/hello-world/blob/0123456789abcdef/config/0.env)", entry.Actor);
        Assert.DoesNotContain(leaked, entry.Actor!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_OnlyMalformedTokens_FalsePositivesWithoutAnyStoreCall()
    {
        await using var scanning = await SecretScanningTestHost.StartAsync();
        var (key, _) = await scanning.CreateKeyAsync();
        var callsBefore = scanning.Store.Calls;

        using var response = await scanning.ReportAsync(
            TestKeys.WithBadChecksum(key), "abc" + key[3..], key[..^1], key + "A", key.Replace('_', '-'), "", "p2p_");

        var labels = await SecretScanningTestHost.LabelsAsync(response);
        Assert.All(labels.Values, label => Assert.Equal("false_positive", label));
        Assert.Equal(callsBefore, scanning.Store.Calls);
        Assert.Equal(0, scanning.Store.Lookups);
        Assert.Empty(await scanning.AuditAsync());
    }

    [Fact]
    public async Task Report_OneChangedByte_UnauthorizedAndNothingDone()
    {
        await using var scanning = await SecretScanningTestHost.StartAsync();
        var (key, record) = await scanning.CreateKeyAsync();
        var body = GitHubReportSigner.Report([key]);
        var signature = scanning.Signer.Sign(body);
        var tampered = (byte[])body.Clone();
        var at = Encoding.UTF8.GetString(body).IndexOf("octocat", StringComparison.Ordinal);
        tampered[at] = (byte)'O';

        using var response = await scanning.PostAsync(tampered, signature);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.DoesNotContain(key, problem.ToString(), StringComparison.Ordinal);
        await AssertNothingDoneAsync(scanning, key, record);
    }

    public static TheoryData<string> BadSignatures() => new()
    {
        "missing identifier",
        "missing signature",
        "unknown identifier",
        "not base64",
        "not DER",
        "another key",
        "two signatures",
    };

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task Report_BadSignatureHeaders_UnauthorizedAndNothingDone(string how)
    {
        await using var scanning = await SecretScanningTestHost.StartAsync();
        var (key, record) = await scanning.CreateKeyAsync();
        var body = GitHubReportSigner.Report([key]);
        using var stranger = new GitHubReportSigner(scanning.Signer.Identifier);
        using var request = scanning.Signer.Request(SecretScanningTestHost.GitHubPath, body);
        switch (how)
        {
            case "missing identifier":
                request.Headers.Remove(SecretScanningEndpoints.GitHubIdentifierHeader);
                break;
            case "missing signature":
                request.Headers.Remove(SecretScanningEndpoints.GitHubSignatureHeader);
                break;
            case "unknown identifier":
                Replace(request, SecretScanningEndpoints.GitHubIdentifierHeader, new string('a', 64));
                break;
            case "not base64":
                Replace(request, SecretScanningEndpoints.GitHubSignatureHeader, "not base64!");
                break;
            case "not DER":
                Replace(request, SecretScanningEndpoints.GitHubSignatureHeader, Convert.ToBase64String(new byte[64]));
                break;
            case "another key":
                Replace(request, SecretScanningEndpoints.GitHubSignatureHeader, stranger.Sign(body));
                break;
            case "two signatures":
                request.Headers.TryAddWithoutValidation(SecretScanningEndpoints.GitHubSignatureHeader, scanning.Signer.Sign(body));
                break;
        }

        using var response = await scanning.Host.Client.SendAsync(request, Ct);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        await AssertNothingDoneAsync(scanning, key, record);
    }

    [Fact]
    public async Task Report_Replayed_SameLabelsAndNothingChanges()
    {
        await using var scanning = await SecretScanningTestHost.StartAsync();
        var (key, record) = await scanning.CreateKeyAsync();
        var unknown = scanning.Host.Services.GetRequiredService<ApiKeyFormat>().Generate().Key;
        var body = GitHubReportSigner.Report([key, unknown, "garbage"]);
        var signature = scanning.Signer.Sign(body);
        using var first = await scanning.PostAsync(body, signature);
        var firstBody = await first.Content.ReadAsStringAsync(Ct);
        var afterFirst = await scanning.ReadAsync(record.Id);
        var audit = await scanning.AuditAsync();

        scanning.Host.Time.Advance(TimeSpan.FromMinutes(5));
        using var replay = await scanning.PostAsync(body, signature);

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(firstBody, await replay.Content.ReadAsStringAsync(Ct));
        var afterReplay = await scanning.ReadAsync(record.Id);
        Assert.Equal(afterFirst.ConcurrencyStamp, afterReplay.ConcurrencyStamp);
        Assert.Equal(afterFirst.RevokedAt, afterReplay.RevokedAt);
        Assert.Equal(audit.Count, (await scanning.AuditAsync()).Count);
    }

    [Fact]
    public async Task Report_SameKeyInANewReport_TruePositiveWithoutASecondChange()
    {
        await using var scanning = await SecretScanningTestHost.StartAsync();
        var (key, record) = await scanning.CreateKeyAsync();
        using (await scanning.ReportAsync(key))
        {
        }

        var revokedAt = (await scanning.ReadAsync(record.Id)).RevokedAt;
        scanning.Host.Time.Advance(TimeSpan.FromHours(1));

        using var again = await scanning.ReportAsync(key, "another match");

        Assert.Equal("true_positive", (await SecretScanningTestHost.LabelsAsync(again))[GitHubReportSigner.TokenHash(key)]);
        Assert.Equal(revokedAt, (await scanning.ReadAsync(record.Id)).RevokedAt);
        Assert.Single(await scanning.AuditAsync());
    }

    [Fact]
    public async Task Report_SameTokenTwice_LookedUpOnceLabelledTwice()
    {
        await using var scanning = await SecretScanningTestHost.StartAsync();
        var (key, _) = await scanning.CreateKeyAsync();

        using var response = await scanning.ReportAsync(key, key);

        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(2, System.Text.Json.JsonDocument.Parse(body).RootElement.GetArrayLength());
        Assert.Equal(1, scanning.Store.Lookups);
        Assert.Single(await scanning.AuditAsync());
    }

    [Fact]
    public async Task Report_DisableAction_DisablesTheKeyWhichAnAdminCanEnableAgain()
    {
        await using var scanning = await SecretScanningTestHost.StartAsync(o => o.Action = SecretScanningAction.Disable);
        var (key, record) = await scanning.CreateKeyAsync();
        var (rotatedKey, rotatedRecord) = await scanning.CreateKeyAsync("Rotated");
        var rotation = await scanning.Manager.RotateAsync(rotatedRecord.Id, TimeSpan.FromHours(1), Ct);
        Assert.True(rotation.Succeeded);
        Assert.Equal(HttpStatusCode.OK, await scanning.UseAsync(rotatedKey)); // in its grace period

        using var response = await scanning.ReportAsync(key, rotatedKey);

        var labels = await SecretScanningTestHost.LabelsAsync(response);
        Assert.All(labels.Values, label => Assert.Equal("true_positive", label));
        var disabled = await scanning.ReadAsync(record.Id);
        Assert.False(disabled.Enabled);
        Assert.Null(disabled.RevokedAt);
        Assert.Equal(HttpStatusCode.Unauthorized, await scanning.UseAsync(key));
        Assert.Equal(HttpStatusCode.Unauthorized, await scanning.UseAsync(rotatedKey)); // a rotated key cannot be disabled: revoked
        Assert.Equal(scanning.Host.Time.GetUtcNow(), (await scanning.ReadAsync(rotatedRecord.Id)).RevokedAt);
        var audit = await scanning.AuditAsync();
        Assert.Contains(audit, e => e.Action == "key.disabled" && e.Target == record.Id.ToString());
        Assert.Contains(audit, e => e.Action == "key.revoked" && e.Target == rotatedRecord.Id.ToString());

        Assert.True((await scanning.Manager.UpdateAsync(record.Id, new() { Enabled = true }, Ct)).Succeeded);
        Assert.Equal(HttpStatusCode.OK, await scanning.UseAsync(key));
    }

    [Fact]
    public async Task Report_ReportAction_KeyKeepsWorkingAndTheLeakIsAudited()
    {
        await using var scanning = await SecretScanningTestHost.StartAsync(o => o.Action = SecretScanningAction.Report);
        var (key, record) = await scanning.CreateKeyAsync();
        var stamp = record.ConcurrencyStamp;

        using var response = await scanning.ReportAsync(key);

        Assert.Equal("true_positive", (await SecretScanningTestHost.LabelsAsync(response))[GitHubReportSigner.TokenHash(key)]);
        Assert.Equal(stamp, (await scanning.ReadAsync(record.Id)).ConcurrencyStamp);
        Assert.Equal(HttpStatusCode.OK, await scanning.UseAsync(key));
        var entry = Assert.Single(await scanning.AuditAsync());
        Assert.Equal("key.leak_reported", entry.Action);
        Assert.Equal(record.Id.ToString(), entry.Target);
        Assert.Contains(scanning.Host.Logs.GetSnapshot(), r => r.Id.Id == 1601 && r.Message.Contains(record.Id.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Report_AlreadyRevokedOrExpiredKeys_TruePositiveWithoutChangeOrAuditEntry()
    {
        await using var scanning = await SecretScanningTestHost.StartAsync();
        var (revoked, revokedRecord) = await scanning.CreateKeyAsync();
        Assert.True((await scanning.Manager.RevokeAsync(revokedRecord.Id, Ct)).Succeeded);
        var expiring = await scanning.Manager.CreateAsync(new() { Name = "Expiring", ExpiresAt = scanning.Host.Time.GetUtcNow().AddMinutes(1) }, Ct);
        scanning.Host.Time.Advance(TimeSpan.FromMinutes(2));

        using var response = await scanning.ReportAsync(revoked, expiring.Value!.Key);

        var labels = await SecretScanningTestHost.LabelsAsync(response);
        Assert.All(labels.Values, label => Assert.Equal("true_positive", label));
        Assert.Null((await scanning.ReadAsync(expiring.Value.Record.Id)).RevokedAt);
        Assert.Empty(await scanning.AuditAsync());
    }

    [Fact]
    public async Task Report_OversizedBody_PayloadTooLargeAndNothingDone()
    {
        await using var scanning = await SecretScanningTestHost.StartAsync(o => o.MaxRequestBodyBytes = 1024);
        var (key, record) = await scanning.CreateKeyAsync();
        var body = GitHubReportSigner.Report([key, .. Enumerable.Repeat("x", 20)]);
        Assert.True(body.Length > 1024);

        using var response = await scanning.PostAsync(body);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await AssertNothingDoneAsync(scanning, key, record);
    }

    [Fact]
    public async Task Report_OversizedChunkedBody_PayloadTooLarge()
    {
        await using var scanning = await SecretScanningTestHost.StartAsync(o => o.MaxRequestBodyBytes = 1024);
        var (key, record) = await scanning.CreateKeyAsync();
        var body = GitHubReportSigner.Report([key, .. Enumerable.Repeat("x", 20)]);
        using var request = scanning.Signer.Request(SecretScanningTestHost.GitHubPath, body);
        request.Content = new StreamContent(new MemoryStream(body)); // no Content-Length: read until the bound
        request.Content.Headers.ContentType = new("application/json");

        using var response = await scanning.Host.Client.SendAsync(request, Ct);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await AssertNothingDoneAsync(scanning, key, record);
    }

    [Fact]
    public async Task Report_TooManyMatches_BadRequestAndNothingDone()
    {
        await using var scanning = await SecretScanningTestHost.StartAsync(o => o.MaxMatches = 2);
        var (key, record) = await scanning.CreateKeyAsync();

        using var response = await scanning.ReportAsync(key, "a", "b");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        await AssertNothingDoneAsync(scanning, key, record);
    }

    public static TheoryData<string> NotReports() => new()
    {
        "{}",
        "[1]",
        "[null]",
        "[{\"type\":\"p2p_api_key\"}]",
        "[{\"token\":null}]",
        "[{\"token\":\"a\",\"token\":\"b\"}]",
        "[{\"token\":\"a\",\"url\":5}]",
        "not json",
        "",
    };

    [Theory]
    [MemberData(nameof(NotReports))]
    public async Task Report_SignedButNotAReport_BadRequestWithoutEchoingIt(string json)
    {
        await using var scanning = await SecretScanningTestHost.StartAsync();

        using var response = await scanning.PostAsync(Encoding.UTF8.GetBytes(json));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.DoesNotContain("not json", problem.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, scanning.Store.Lookups);
    }

    [Fact]
    public async Task Report_UnknownMembers_Accepted()
    {
        await using var scanning = await SecretScanningTestHost.StartAsync();
        var (key, _) = await scanning.CreateKeyAsync();
        var body = Encoding.UTF8.GetBytes($"[{{\"token\":\"{key}\",\"type\":\"p2p_api_key\",\"url\":\"\",\"source\":\"npm\",\"new_field\":{{\"a\":1}}}}]");

        using var response = await scanning.PostAsync(body);

        Assert.Equal("true_positive", (await SecretScanningTestHost.LabelsAsync(response))[GitHubReportSigner.TokenHash(key)]);
        Assert.Equal("secret scanner (github: npm)", Assert.Single(await scanning.AuditAsync()).Actor);
    }

    [Fact]
    public async Task Report_WrongContentType_UnsupportedMediaType()
    {
        await using var scanning = await SecretScanningTestHost.StartAsync();
        var (key, record) = await scanning.CreateKeyAsync();

        using var response = await scanning.PostAsync(GitHubReportSigner.Report([key]), contentType: "text/plain");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        await AssertNothingDoneAsync(scanning, key, record);
    }

    [Fact]
    public async Task Report_BeyondTheRateLimit_TooManyRequestsWithRetryAfterUntilTheWindowEnds()
    {
        await using var scanning = await SecretScanningTestHost.StartAsync(o => o.RateLimit = new(2, TimeSpan.FromMinutes(1)));
        var (key, record) = await scanning.CreateKeyAsync();
        var body = GitHubReportSigner.Report(["nothing"]);
        using (await scanning.PostAsync(body, "forged"))
        {
        }

        using (await scanning.PostAsync(body))
        {
        }

        using var throttled = await scanning.ReportAsync(key);

        await ProblemAssert.IsProblemAsync(throttled, HttpStatusCode.TooManyRequests);
        var retryAfter = int.Parse(throttled.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        await AssertNothingDoneAsync(scanning, key, record);

        scanning.Host.Time.Advance(TimeSpan.FromSeconds(retryAfter));
        using var later = await scanning.ReportAsync(key);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public async Task Report_StoreDown_ServiceUnavailableThenARetryActs()
    {
        await using var scanning = await SecretScanningTestHost.StartAsync();
        var (key, record) = await scanning.CreateKeyAsync();
        var body = GitHubReportSigner.Report([key]);
        var signature = scanning.Signer.Sign(body);
        scanning.Store.Failure = new TimeoutException("database is down");

        using (var failed = await scanning.PostAsync(body, signature))
        {
            var problem = await ProblemAssert.IsProblemAsync(failed, HttpStatusCode.ServiceUnavailable);
            Assert.DoesNotContain("database", problem.ToString(), StringComparison.Ordinal);
        }

        scanning.Store.Failure = null;
        using var retried = await scanning.PostAsync(body, signature);

        Assert.Equal("true_positive", (await SecretScanningTestHost.LabelsAsync(retried))[GitHubReportSigner.TokenHash(key)]);
        Assert.NotNull((await scanning.ReadAsync(record.Id)).RevokedAt);
    }

    private static void Replace(HttpRequestMessage request, string header, string value)
    {
        request.Headers.Remove(header);
        request.Headers.TryAddWithoutValidation(header, value);
    }

    private static async Task AssertNothingDoneAsync(SecretScanningTestHost scanning, string key, P2P.ApiKeys.Stores.ApiKeyRecord record)
    {
        Assert.Equal(0, scanning.Store.Lookups);
        var stored = await scanning.ReadAsync(record.Id);
        Assert.Null(stored.RevokedAt);
        Assert.True(stored.Enabled);
        Assert.Equal(record.ConcurrencyStamp, stored.ConcurrencyStamp);
        Assert.Empty(await scanning.AuditAsync());
        Assert.Equal(HttpStatusCode.OK, await scanning.UseAsync(key));
    }
}
