using System.Net;
using System.Net.Http.Json;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using P2P.ApiKeys.Usage;
using P2P.Tests.Shared;

namespace P2P.ApiKeys.Tests.Admin;

/// <summary>
/// <c>GET /admin/keys/{id}/usage</c> and <c>GET /admin/usage?owner=</c>: exact counts by outcome after a flush, a revoked key
/// still tried shows as refused, and every bad input is a problem. Linked into the EF Core tests, so it runs on SQLite too.
/// </summary>
public sealed class AdminUsageEndpointsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<AdminTestHost> StartAsync() => AdminTestHost.StartAsync(map: app =>
    {
        app.MapAdminEndpoints();
        app.MapGet("/data", () => "data").RequireApiKeyScope("p2p:read");
        app.MapGet("/write", () => "write").RequireApiKeyScope("p2p:write");
    });

    private static async Task<HttpStatusCode> CallAsync(AdminTestHost host, string path, string key, string client = "10.0.0.1")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-API-Key", key);
        request.Headers.Add(AdminTestHost.ClientIpHeader, client);
        using var response = await host.Client.SendAsync(request, Ct);
        return response.StatusCode;
    }

    private static async Task<JsonElement> GetJsonAsync(AdminTestHost host, string path, string token)
    {
        using var response = await host.SendAsync(HttpMethod.Get, path, token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static long Count(JsonElement bucket, string outcome) => bucket.GetProperty(outcome).GetInt64();

    [Fact]
    public async Task KeyUsage_AfterRequestsOfEachOutcome_ExactCountsPerHour_AndRefusedForTheRevokedKey()
    {
        await using var host = await StartAsync();
        var token = await host.BootstrapAsync();
        var created = await host.CreateKeyAsync(token, """{"name":"Limited","rate_limit":{"limit":2,"window_seconds":3600}}""");
        var key = created.GetProperty("key").GetString()!;
        var id = created.GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.OK, await CallAsync(host, "/data", key, "10.0.0.1"));
        Assert.Equal(HttpStatusCode.OK, await CallAsync(host, "/data", key, "10.0.0.2"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await CallAsync(host, "/data", key, "10.0.0.2"));
        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(host, "/write", key, "10.0.0.3"));
        using (var revoked = await host.SendAsync(HttpMethod.Delete, $"/admin/keys/{id}", token))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(host, "/data", key, "10.0.0.4"));
        await host.App.Services.GetRequiredService<ApiKeyUsageHistory>().FlushAsync(Ct);

        var usage = await GetJsonAsync(host, $"/admin/keys/{id}/usage?from=2026-11-24T00:00:00Z&to=2026-11-25T00:00:00Z&granularity=hour", token);
        Assert.Equal(id, usage.GetProperty("key_id").GetString());
        Assert.Equal("hour", usage.GetProperty("granularity").GetString());
        var buckets = usage.GetProperty("buckets").EnumerateArray().ToList();
        Assert.Equal(24, buckets.Count);
        var noon = buckets.Single(b => b.GetProperty("start").GetDateTimeOffset() == new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal((2L, 1L, 0L, 1L, 1L, 4L), (Count(noon, "allowed"), Count(noon, "rate_limited"), Count(noon, "quota_exhausted"),
            Count(noon, "forbidden"), Count(noon, "refused"), Count(noon, "clients")));
        Assert.All(buckets.Where(b => !b.Equals(noon)), b => Assert.Equal(0, Count(b, "allowed") + Count(b, "refused")));

        var daily = await GetJsonAsync(host, $"/admin/keys/{id}/usage?from=2026-11-20T00:00:00Z&to=2026-11-25T00:00:00Z&granularity=day", token);
        var today = daily.GetProperty("buckets").EnumerateArray().Last();
        Assert.Equal((2L, 1L, 1L, 1L), (Count(today, "allowed"), Count(today, "rate_limited"), Count(today, "forbidden"), Count(today, "refused")));
    }

    [Fact]
    public async Task OwnerUsage_EveryKeyOfTheOwner_PerKeyAndTotal()
    {
        await using var host = await StartAsync();
        var token = await host.BootstrapAsync();
        var first = await host.CreateKeyAsync(token);
        var second = await host.CreateKeyAsync(token);
        await CallAsync(host, "/data", first.GetProperty("key").GetString()!, "10.0.0.1");
        await CallAsync(host, "/data", second.GetProperty("key").GetString()!, "10.0.0.2");
        await CallAsync(host, "/data", second.GetProperty("key").GetString()!, "10.0.0.2");
        await host.App.Services.GetRequiredService<ApiKeyUsageHistory>().FlushAsync(Ct);

        var usage = await GetJsonAsync(host, $"/admin/usage?owner={AdminTestHost.AdminName}&granularity=day", token);

        Assert.Equal(AdminTestHost.AdminName, usage.GetProperty("owner").GetString());
        var keys = usage.GetProperty("keys").EnumerateArray().ToDictionary(k => k.GetProperty("key_id").GetString()!);
        Assert.Equal(1, Count(keys[first.GetProperty("id").GetString()!].GetProperty("total"), "allowed"));
        Assert.Equal(2, Count(keys[second.GetProperty("id").GetString()!].GetProperty("total"), "allowed"));
        Assert.Equal(3, Count(usage.GetProperty("total"), "allowed"));
        Assert.Equal(2, Count(usage.GetProperty("total"), "clients"));

        var nobody = await GetJsonAsync(host, "/admin/usage?owner=nobody", token);
        Assert.Empty(nobody.GetProperty("keys").EnumerateArray());
    }

    [Theory]
    [InlineData("/admin/keys/{id}/usage?granularity=week", "granularity")]
    [InlineData("/admin/keys/{id}/usage?granularity=Hour", "granularity")]
    [InlineData("/admin/keys/{id}/usage?from=yesterday", "from")]
    [InlineData("/admin/keys/{id}/usage?from=2026-11-24T00:00:00Z&to=2026-11-23T00:00:00Z", "from")]
    [InlineData("/admin/keys/{id}/usage?from=2026-01-01T00:00:00Z&to=2026-11-24T00:00:00Z", "to")]
    [InlineData("/admin/keys/{id}/usage?from=2020-01-01T00:00:00Z&to=2026-11-24T00:00:00Z&granularity=day", "to")]
    [InlineData("/admin/keys/{id}/usage?from=0001-01-01T00:00:00Z", "from")]
    [InlineData("/admin/usage", "owner")]
    [InlineData("/admin/usage?owner=alice&to=9999-12-31T23:59:59Z", "to")]
    public async Task BadInput_IsAValidationProblem(string path, string field)
    {
        await using var host = await StartAsync();
        var token = await host.BootstrapAsync();
        var id = (await host.CreateKeyAsync(token)).GetProperty("id").GetString()!;

        using var response = await host.SendAsync(HttpMethod.Get, path.Replace("{id}", id, StringComparison.Ordinal), token);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Theory]
    [InlineData("/admin/keys/00000000-0000-0000-0000-000000000000/usage")]
    [InlineData("/admin/keys/not-a-key/usage")]
    public async Task UnknownKey_IsNotFound(string path)
    {
        await using var host = await StartAsync();
        var token = await host.BootstrapAsync();

        using var response = await host.SendAsync(HttpMethod.Get, path, token);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Usage_WithoutAdminKeysRead_IsForbidden()
    {
        await using var host = await StartAsync();
        var token = await host.BootstrapAsync();
        var created = await host.CreateKeyAsync(token);
        var apiKey = created.GetProperty("key").GetString()!;

        using var response = await host.SendWithKeyAsync(HttpMethod.Get, $"/admin/keys/{created.GetProperty("id").GetString()}/usage", apiKey);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static IEnumerable<string> StallReasons(AdminTestHost host) =>
        host.Logs.GetSnapshot().Where(r => r.Id.Name == "api_key.rotation_stalled").Select(r => r.StructuredState!.Single(p => p.Key == "Reason").Value!);

    [Fact]
    public async Task RotationWatch_OldKeyStillUsedNearTheEndOfItsGrace_ShownAndSignalled_ThenRefusedAfterIt()
    {
        await using var host = await StartAsync();
        var token = await host.BootstrapAsync();
        var created = await host.CreateKeyAsync(token);
        var oldKey = created.GetProperty("key").GetString()!;
        var oldId = created.GetProperty("id").GetString()!;
        var history = host.App.Services.GetRequiredService<ApiKeyUsageHistory>();
        using var rotated = await host.SendAsync(HttpMethod.Post, $"/admin/keys/{oldId}/rotate", token, AdminTestHost.Json("""{"grace_period_seconds":1000}"""));
        Assert.Equal(HttpStatusCode.Created, rotated.StatusCode);
        var newId = (await rotated.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;

        // Early in the grace period: used, not stalled.
        Assert.Equal(HttpStatusCode.OK, await CallAsync(host, "/data", oldKey, "10.0.0.1"));
        Assert.Equal(HttpStatusCode.OK, await CallAsync(host, "/data", oldKey, "10.0.0.2"));
        await history.FlushAsync(Ct);
        Assert.Empty(StallReasons(host));
        var early = (await GetJsonAsync(host, $"/admin/keys/{oldId}", token)).GetProperty("rotation_watch");
        Assert.Equal(newId, early.GetProperty("replaced_by").GetString());
        Assert.Equal(2, early.GetProperty("requests_since_rotation").GetInt64());
        Assert.Equal(2, early.GetProperty("clients_since_rotation").GetInt64());
        Assert.False(early.GetProperty("stalled").GetBoolean());

        // In the last 10 %: the rotation is stalled.
        host.Time.Advance(TimeSpan.FromSeconds(950));
        Assert.Equal(HttpStatusCode.OK, await CallAsync(host, "/data", oldKey, "10.0.0.2"));
        await history.FlushAsync(Ct);
        Assert.Equal(["grace_ending"], StallReasons(host));
        token = await host.LoginAsync();
        var late = (await GetJsonAsync(host, $"/admin/keys/{oldId}", token)).GetProperty("rotation_watch");
        Assert.Equal(3, late.GetProperty("requests_since_rotation").GetInt64());
        Assert.True(late.GetProperty("stalled").GetBoolean());

        // After it: refused, and said once.
        host.Time.Advance(TimeSpan.FromSeconds(100));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(host, "/data", oldKey, "10.0.0.3"));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(host, "/data", oldKey, "10.0.0.3"));
        await history.FlushAsync(Ct);
        await history.FlushAsync(Ct);
        Assert.Equal(["grace_ending", "grace_ended"], StallReasons(host));
        token = await host.LoginAsync();
        var after = (await GetJsonAsync(host, $"/admin/keys/{oldId}", token)).GetProperty("rotation_watch");
        Assert.Equal(5, after.GetProperty("requests_since_rotation").GetInt64());
        Assert.Equal(2, after.GetProperty("refused_since_rotation").GetInt64());
        Assert.Equal(3, after.GetProperty("clients_since_rotation").GetInt64());

        // The replacement and unrotated keys have no watch.
        Assert.False((await GetJsonAsync(host, $"/admin/keys/{newId}", token)).TryGetProperty("rotation_watch", out _));
    }

    [Fact]
    public async Task RevokedKeyStillTried_IsSignalled()
    {
        await using var host = await StartAsync();
        var token = await host.BootstrapAsync();
        var created = await host.CreateKeyAsync(token);
        using (var revoked = await host.SendAsync(HttpMethod.Delete, $"/admin/keys/{created.GetProperty("id").GetString()}", token))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }

        using var stalled = new MetricCollector<long>(
            host.App.Services.GetRequiredService<IMeterFactory>(), P2P.ApiKeys.Diagnostics.ApiKeyDiagnostics.MeterName, "p2p.apikeys.rotation_stalled");
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(host, "/data", created.GetProperty("key").GetString()!));
        await host.App.Services.GetRequiredService<ApiKeyUsageHistory>().FlushAsync(Ct);

        Assert.Equal(["revoked"], StallReasons(host));
        var measurement = Assert.Single(stalled.GetMeasurementSnapshot());
        Assert.Equal("revoked", measurement.Tags["p2p.api_key.stall_reason"]);
    }
}
