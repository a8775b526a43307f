using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.Tests.TestSupport;
using P2P.Tests.Shared;
using P2P.ApiKeys.Authentication;

namespace P2P.ApiKeys.Tests.Authentication;

public sealed class ApiKeyAuthenticationHandlerTests
{
    [Fact]
    public async Task Authenticate_ValidKeyInHeader_Returns200()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var (key, _) = await host.CreateKeyAsync();

        var response = await host.GetAsync("/read", key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Authenticate_ValidKeyInAuthorizationHeader_Returns200()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var (key, _) = await host.CreateKeyAsync();

        var response = await host.GetWithAuthorizationAsync("/read", "ApiKey", key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Authenticate_AuthorizationHeaderDisabled_Returns401()
    {
        await using var host = await ApiKeyTestHost.StartAsync(configureScheme: o => o.AllowAuthorizationHeader = false);
        var (key, _) = await host.CreateKeyAsync();

        var response = await host.GetWithAuthorizationAsync("/read", "ApiKey", key);

        await ProblemAssert.IsUnauthorizedAsync(response);
    }

    [Fact]
    public async Task Authenticate_BearerAuthorizationHeader_Returns401()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var (key, _) = await host.CreateKeyAsync();

        var response = await host.GetWithAuthorizationAsync("/read", "Bearer", key);

        await ProblemAssert.IsUnauthorizedAsync(response);
    }

    [Fact]
    public async Task Authenticate_CustomHeaderName_ReadsThatHeader()
    {
        await using var host = await ApiKeyTestHost.StartAsync(configureScheme: o => o.HeaderName = "X-Client-Key");
        var (key, _) = await host.CreateKeyAsync();

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", key, "X-Client-Key")).StatusCode);
        await ProblemAssert.IsUnauthorizedAsync(await host.GetAsync("/read", key));
    }

    [Fact]
    public async Task Authenticate_ValidKey_PrincipalCarriesKeyClaims()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var (key, record) = await host.CreateKeyAsync(["p2p:read", "p2p:write"], name: "Streamlit App Key");

        var body = await (await host.GetAsync("/me", key)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        var claims = body.Split('\n');
        Assert.Contains($"{ApiKeyClaimTypes.KeyId}={record.Id:D}", claims);
        Assert.Contains($"{ApiKeyClaimTypes.LookupId}={record.LookupId}", claims);
        Assert.Contains($"{ApiKeyClaimTypes.Name}=Streamlit App Key", claims);
        Assert.Contains($"{ApiKeyClaimTypes.Owner}=alice", claims);
        Assert.Contains("scope=p2p:read", claims);
        Assert.Contains("scope=p2p:write", claims);
        Assert.Contains("name=Streamlit App Key", claims);
    }

    [Fact]
    public async Task Authenticate_NoKey_Returns401ProblemWithChallenge()
    {
        await using var host = await ApiKeyTestHost.StartAsync();

        await ProblemAssert.IsUnauthorizedAsync(await host.GetAsync("/read"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("   \t ")]
    [InlineData("p2p_")]
    [InlineData("not-a-key")]
    [InlineData("p2p_abc_def")]
    [InlineData("Bearer eyJhbGciOiJIUzI1NiJ9.e30.x")]
    public async Task Authenticate_MalformedValue_Returns401WithoutStoreCall(string value)
    {
        await using var host = await ApiKeyTestHost.StartAsync();

        await ProblemAssert.IsUnauthorizedAsync(await host.GetAsync("/read", value));
        Assert.Equal(0, host.Store.Lookups);
    }

    [Fact]
    public async Task Authenticate_TenKilobyteValue_Returns401WithoutStoreCall()
    {
        await using var host = await ApiKeyTestHost.StartAsync();

        await ProblemAssert.IsUnauthorizedAsync(await host.GetAsync("/read", new string('a', 10 * 1024)));
        Assert.Equal(0, host.Store.Lookups);
    }

    [Fact]
    public async Task Authenticate_NonAsciiValue_Returns401()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var (key, _) = await host.CreateKeyAsync();
        var nonAscii = string.Concat(key.AsSpan(0, 10), "é", key.AsSpan(11));

        var context = await host.SendRawAsync("/read", r => r.Headers["X-API-Key"] = nonAscii);

        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
        Assert.Equal(0, host.Store.Lookups);
    }

    [Fact]
    public async Task Authenticate_SeveralKeyHeaders_Returns401()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var (key, _) = await host.CreateKeyAsync();

        var context = await host.SendRawAsync("/read", r => r.Headers["X-API-Key"] = new(new[] { key, key }));

        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
        Assert.Equal("ApiKey", context.Response.Headers.WWWAuthenticate.ToString());
        Assert.Equal(0, host.Store.Lookups);
    }

    [Fact]
    public async Task Authenticate_WrongPrefix_Returns401WithoutStoreCall()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var (key, _) = await host.CreateKeyAsync();

        await ProblemAssert.IsUnauthorizedAsync(await host.GetAsync("/read", "abc" + key[3..]));
        Assert.Equal(0, host.Store.Lookups);
    }

    [Fact]
    public async Task Authenticate_BadChecksum_Returns401WithoutStoreCall()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var (key, _) = await host.CreateKeyAsync();
        var last = key[^1] == 'A' ? 'B' : 'A';

        await ProblemAssert.IsUnauthorizedAsync(await host.GetAsync("/read", key[..^1] + last));
        Assert.Equal(0, host.Store.Lookups);
    }

    [Fact]
    public async Task Authenticate_UnknownLookupId_Returns401()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var stranger = host.Services.GetRequiredService<P2P.ApiKeys.KeyFormat.ApiKeyFormat>().Generate();

        await ProblemAssert.IsUnauthorizedAsync(await host.GetAsync("/read", stranger.Key));
        Assert.Equal(1, host.Store.Lookups);
    }

    [Fact]
    public async Task Authenticate_WrongSecret_Returns401()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var (key, record) = await host.CreateKeyAsync();
        var format = host.Services.GetRequiredService<P2P.ApiKeys.KeyFormat.ApiKeyFormat>();
        // Same lookup id, another secret, valid checksum.
        var other = format.Generate().Key;
        var forged = TestKeys.WithChecksum(key[..(4 + 13)] + other[(4 + 13)..^6]);

        Assert.Equal(P2P.ApiKeys.KeyFormat.ApiKeyParseStatus.Valid, format.TryParse(forged, out _));
        await ProblemAssert.IsUnauthorizedAsync(await host.GetAsync("/read", forged));
        // And again from the cache.
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", key)).StatusCode);
        await ProblemAssert.IsUnauthorizedAsync(await host.GetAsync("/read", forged));
        Assert.Equal(record.LookupId, key[4..16]);
    }

    [Fact]
    public async Task Authenticate_CaseFlippedKey_Returns401()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var (key, _) = await host.CreateKeyAsync();
        var i = key.AsSpan(17).IndexOfAnyInRange('a', 'z') + 17;
        var flipped = TestKeys.WithChecksum(string.Concat(key.AsSpan(0, i), char.ToUpperInvariant(key[i]).ToString(), key.AsSpan(i + 1))[..^6]);

        await ProblemAssert.IsUnauthorizedAsync(await host.GetAsync("/read", flipped));
    }

    [Fact]
    public async Task Authenticate_ExpiredKey_Returns401()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var (key, _) = await host.CreateKeyAsync(expiresAt: ApiKeyTestHost.Start.AddMinutes(10));
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", key)).StatusCode);

        host.Time.Advance(TimeSpan.FromMinutes(10));

        await ProblemAssert.IsUnauthorizedAsync(await host.GetAsync("/read", key));
    }

    [Fact]
    public async Task Authenticate_RevokedKey_Returns401()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var (key, _) = await host.CreateKeyAsync(revoked: true);

        await ProblemAssert.IsUnauthorizedAsync(await host.GetAsync("/read", key));
    }

    [Fact]
    public async Task Authenticate_NextRequestAfterRevocation_Returns401()
    {
        // Long TTL: only the notifier's eviction can make this pass.
        await using var host = await ApiKeyTestHost.StartAsync(o => o.CacheTtl = TimeSpan.FromHours(1));
        var (key, record) = await host.CreateKeyAsync();
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", key)).StatusCode);

        await host.RevokeAsync(record);

        await ProblemAssert.IsUnauthorizedAsync(await host.GetAsync("/read", key));
    }

    [Fact]
    public async Task Authenticate_RevocationScheduledInFuture_ValidUntilThen()
    {
        await using var host = await ApiKeyTestHost.StartAsync(o => o.CacheTtl = TimeSpan.FromHours(1));
        var (key, record) = await host.CreateKeyAsync();
        Assert.True((await host.Keys.RotateAsync(record.Id, TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken)).Succeeded);

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", key)).StatusCode);
        host.Time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", key)).StatusCode);
        host.Time.Advance(TimeSpan.FromMinutes(1));
        await ProblemAssert.IsUnauthorizedAsync(await host.GetAsync("/read", key));
    }

    [Fact]
    public async Task Authenticate_RevokeRacingWithUse_KeyUnusableAfterRevocation()
    {
        await using var host = await ApiKeyTestHost.StartAsync(o => o.CacheTtl = TimeSpan.FromHours(1));
        var (key, record) = await host.CreateKeyAsync();

        var traffic = Enumerable.Range(0, 200).Select(_ => Task.Run(() => host.GetAsync("/read", key))).ToList();
        await host.RevokeAsync(record);
        await Task.WhenAll(traffic);

        for (var i = 0; i < 5; i++)
        {
            await ProblemAssert.IsUnauthorizedAsync(await host.GetAsync("/read", key));
        }
    }

    [Fact]
    public async Task Authorize_KeyWithScope_Returns200()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var (key, _) = await host.CreateKeyAsync(["p2p:write"]);

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/write", key)).StatusCode);
    }

    [Fact]
    public async Task Authorize_KeyWithoutScope_Returns403Problem()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var (key, _) = await host.CreateKeyAsync(["p2p:read"]);

        await ProblemAssert.IsProblemAsync(await host.GetAsync("/write", key), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Authorize_ScopeDiffersOnlyInCase_Returns403()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var (key, _) = await host.CreateKeyAsync(["P2P:READ"]);

        await ProblemAssert.IsProblemAsync(await host.GetAsync("/read", key), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Authenticate_AllowAnonymousEndpoint_WorksWithoutOrWithBadKey()
    {
        await using var host = await ApiKeyTestHost.StartAsync();

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/anonymous")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/anonymous", "garbage")).StatusCode);
    }

    [Fact]
    public async Task Authenticate_KeyInQueryString_RefusedByDefault()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var (key, _) = await host.CreateKeyAsync();

        await ProblemAssert.IsUnauthorizedAsync(await host.GetAsync($"/read?api_key={key}"));
        Assert.Equal(0, host.Store.Lookups);
    }

    [Fact]
    public async Task Authenticate_KeyInQueryStringWhenOptedIn_Returns200()
    {
        await using var host = await ApiKeyTestHost.StartAsync(configureScheme: o => o.QueryParameterName = "api_key");
        var (key, _) = await host.CreateKeyAsync();

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync($"/read?api_key={key}")).StatusCode);
    }

    [Fact]
    public async Task Authenticate_StoreThrows_Returns503ProblemWithoutDetails()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var (key, _) = await host.CreateKeyAsync();
        host.Store.Failure = new InvalidOperationException("connection refused to db.internal:5432 password=hunter2");

        var response = await host.GetAsync("/read", key);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        var body = problem.GetRawText();
        Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);
        Assert.DoesNotContain("db.internal", body, StringComparison.Ordinal);
        Assert.DoesNotContain(key, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authenticate_StoreRecovers_KeyWorksAgain()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var (key, _) = await host.CreateKeyAsync();
        host.Store.Failure = new TimeoutException();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await host.GetAsync("/read", key)).StatusCode);

        host.Store.Failure = null;

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/read", key)).StatusCode);
    }

    [Fact]
    public async Task Authenticate_FailureResponses_NeverEchoTheKey()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var (key, record) = await host.CreateKeyAsync(["other"]);
        Assert.True((await host.Keys.RotateAsync(record.Id, TimeSpan.FromHours(1), TestContext.Current.CancellationToken)).Succeeded);

        foreach (var (path, value) in new[] { ("/read", key), ("/read", key[..^1]), ("/write", key) })
        {
            var body = await (await host.GetAsync(path, value)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.DoesNotContain(value[4..16], body, StringComparison.Ordinal);
            Assert.DoesNotContain(value[17..40], body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Authenticate_ValidatedEventFails_Returns401()
    {
        await using var host = await ApiKeyTestHost.StartAsync(configureScheme: o => o.Events.OnValidated = c =>
        {
            c.Fail("blocked by host");
            return Task.CompletedTask;
        });
        var (key, _) = await host.CreateKeyAsync();

        await ProblemAssert.IsUnauthorizedAsync(await host.GetAsync("/read", key));
    }

    [Fact]
    public async Task Authenticate_FailedEvent_SeesReason()
    {
        var failures = new List<ApiKeyValidationFailure>();
        await using var host = await ApiKeyTestHost.StartAsync(configureScheme: o => o.Events.OnFailed = c =>
        {
            failures.Add(c.Failure);
            return Task.CompletedTask;
        });
        var (key, record) = await host.CreateKeyAsync();
        await host.GetAsync("/read", key[..^1] + (key[^1] == 'A' ? 'B' : 'A'));
        await host.RevokeAsync(record);
        await host.GetAsync("/read", key);

        Assert.Equal([ApiKeyValidationFailure.Malformed, ApiKeyValidationFailure.Revoked], failures);
    }
}
