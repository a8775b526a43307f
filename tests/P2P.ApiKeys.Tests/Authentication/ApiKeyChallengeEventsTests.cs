using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Tests.TestSupport;
using P2P.Tests.Shared;
using P2P.ApiKeys.Authentication;

namespace P2P.ApiKeys.Tests.Authentication;

/// <summary>OnChallenge and OnForbidden: the host owns the 401/429/503 and 403 answers, as with JwtBearer.</summary>
public sealed class ApiKeyChallengeEventsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Challenge_RevokedKey_EventSeesTheReasonAndWritesItsOwnAnswer()
    {
        var seen = new List<(ApiKeyValidationFailure?, int)>();
        await using var host = await ApiKeyTestHost.StartAsync(configureScheme: o => o.Events.OnChallenge = async c =>
        {
            seen.Add((c.Failure, c.StatusCode));
            c.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await c.Response.WriteAsync("custom", Ct);
            c.HandleResponse();
        });
        var (key, _) = await host.CreateKeyAsync(revoked: true);

        using var revoked = await host.GetAsync("/read", key);
        using var missing = await host.GetAsync("/read");

        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Equal("custom", await revoked.Content.ReadAsStringAsync(Ct));
        Assert.Equal([(ApiKeyValidationFailure.Revoked, 401), (null, 401)], seen);
    }

    [Fact]
    public async Task Challenge_EventDoesNotHandle_LibraryAnswersAsBefore()
    {
        var calls = 0;
        await using var host = await ApiKeyTestHost.StartAsync(configureScheme: o => o.Events.OnChallenge = _ =>
        {
            calls++;
            return Task.CompletedTask;
        });

        await ProblemAssert.IsUnauthorizedAsync(await host.GetAsync("/read", "p2p_not_a_key"));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Challenge_ClientLookupBudgetSpent_EventSeesThe429()
    {
        var statuses = new List<int>();
        await using var host = await ApiKeyTestHost.StartAsync(
            configureScheme: o => o.Events.OnChallenge = c =>
            {
                statuses.Add(c.StatusCode);
                return Task.CompletedTask;
            },
            configureServices: services => services.Configure<ApiKeyRateLimitOptions>(o => o.ClientLookupLimit = new ApiKeyRateLimit(1, TimeSpan.FromSeconds(60))));
        var (key, record) = await host.CreateKeyAsync();
        await host.RevokeAsync(record);
        var unknown = TestKeys.WithChecksum(key[..4] + "ZZZZZZZZZZZZ" + key[16..^P2P.ApiKeys.KeyFormat.ApiKeyFormat.ChecksumLength]);

        using var first = await host.GetAsync("/read", unknown);
        using var second = await host.GetAsync("/read", unknown);

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal([401, 429], statuses);
    }

    [Fact]
    public async Task Forbidden_MissingScope_EventSeesTheKeyAndWritesItsOwnAnswer()
    {
        Guid? keyId = null;
        await using var host = await ApiKeyTestHost.StartAsync(configureScheme: o => o.Events.OnForbidden = async c =>
        {
            keyId = c.KeyId;
            c.Response.StatusCode = StatusCodes.Status403Forbidden;
            await c.Response.WriteAsync("no scope", Ct);
            c.HandleResponse();
        });
        var (key, record) = await host.CreateKeyAsync(["p2p:read"]);

        using var response = await host.GetAsync("/write", key);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("no scope", await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(record.Id, keyId);
    }
}
