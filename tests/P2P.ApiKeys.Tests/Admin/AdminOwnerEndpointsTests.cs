using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using P2P.ApiKeys.Admin;
using P2P.Tests.Shared;

namespace P2P.ApiKeys.Tests.Admin;

/// <summary>
/// <c>GET</c> and <c>PATCH /admin/owners/{owner}</c> on real Kestrel: an owner's budget, shared by the keys an admin issues
/// to that owner with <c>POST /admin/keys/</c>; bad inputs are 400 ProblemDetails that write nothing.
/// </summary>
public sealed class AdminOwnerEndpointsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<AdminTestHost> StartAsync() => AdminTestHost.StartAsync(kestrel: true, map: app =>
    {
        app.MapAdminEndpoints();
        app.MapGet("/data", () => "data").RequireApiKeyScope("p2p:read");
    });

    [Fact]
    public async Task OwnerQuota6_ThreeKeysIssuedToTheOwner_AdmitExactly6_AndGetShowsUsageAndKeys()
    {
        await using var host = await StartAsync();
        var token = await host.BootstrapAsync();
        using (var patched = await host.SendAsync(HttpMethod.Patch, "/admin/owners/acme", token, AdminTestHost.Json("""{"quota":{"limit":6,"period":"month"}}""")))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
            var body = await patched.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(6, body.GetProperty("quota").GetProperty("limit").GetInt64());
            Assert.Equal(JsonValueKind.Null, body.GetProperty("rate_limit").ValueKind);
        }

        var keys = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var created = await host.CreateKeyAsync(token, """{"name":"Acme","owner":"acme","rate_limit":{"limit":100,"window_seconds":3600}}""");
            Assert.Equal("acme", created.GetProperty("owner").GetString());
            keys.Add(created.GetProperty("key").GetString()!);
        }

        var admitted = 0;
        HttpResponseMessage? last = null;
        for (var round = 0; round < 4; round++)
        {
            foreach (var key in keys)
            {
                last?.Dispose();
                last = await host.SendWithKeyAsync(HttpMethod.Get, "/data", key);
                admitted += last.StatusCode == HttpStatusCode.OK ? 1 : 0;
            }
        }

        Assert.Equal(6, admitted);
        var problem = await ProblemAssert.IsProblemAsync(last!, HttpStatusCode.TooManyRequests);
        Assert.Equal("owner_quota", Assert.Single(problem.GetProperty("violated-policies").EnumerateArray()).GetString());
        last!.Dispose();

        using var read = await host.SendAsync(HttpMethod.Get, "/admin/owners/acme", token);
        var owner = await read.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(6, owner.GetProperty("usage").GetProperty("quota").GetProperty("used").GetInt64());
        Assert.Equal(0, owner.GetProperty("usage").GetProperty("quota").GetProperty("remaining").GetInt64());
        Assert.Equal(3, owner.GetProperty("active_keys").GetInt64());

        var audit = new List<(string Action, string? Actor, string? Owner)>();
        await foreach (var entry in host.Audit.ListAsync(0, 100, Ct))
        {
            audit.Add((entry.Action, entry.Actor, entry.Owner));
        }

        Assert.Contains(("owner.limits_changed", AdminTestHost.AdminName, "acme"), audit);
    }

    [Fact]
    public async Task Patch_NullKeeps_RemoveRemoves_LikePatchKeys()
    {
        await using var host = await StartAsync();
        var token = await host.BootstrapAsync();
        await PatchOkAsync(host, token, """{"rate_limit":{"limit":5,"window_seconds":60,"algorithm":"gcra","burst":8}}""");
        var body = await PatchOkAsync(host, token, """{"rate_limit":null,"quota":{"limit":1000,"period":"week","anchor_day":"wednesday"}}""");
        Assert.Equal(8, body.GetProperty("rate_limit").GetProperty("burst").GetInt64());
        Assert.Equal("week", body.GetProperty("quota").GetProperty("period").GetString());

        body = await PatchOkAsync(host, token, """{"remove_rate_limit":true}""");
        Assert.Equal(JsonValueKind.Null, body.GetProperty("rate_limit").ValueKind);
        Assert.Equal(1000, body.GetProperty("quota").GetProperty("limit").GetInt64());

        body = await PatchOkAsync(host, token, """{"remove_quota":true}""");
        Assert.Equal(JsonValueKind.Null, body.GetProperty("quota").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("usage").ValueKind);
        Assert.Equal(0, body.GetProperty("active_keys").GetInt64());
    }

    [Theory]
    [InlineData("""{"rate_limit":{"limit":5,"window_seconds":60},"remove_rate_limit":true}""", "rate_limit")]
    [InlineData("""{"quota":{"limit":5,"period":"month"},"remove_quota":true}""", "quota")]
    [InlineData("""{"quota":{"limit":0,"period":"month"}}""", "quota")]
    [InlineData("""{"quota":{"limit":5,"period":"year"}}""", "quota")]
    [InlineData("""{"quota":{"limit":5,"period":"month","anchor_day":31}}""", "quota")]
    [InlineData("""{"rate_limit":{"limit":5,"window_seconds":0}}""", "rate_limit")]
    [InlineData("""{"rate_limit":{"limit":5,"window_seconds":60,"algorithm":"leaky"}}""", "rate_limit")]
    public async Task Patch_BadLimits_Are400_AndWriteNothing(string json, string field)
    {
        await using var host = await StartAsync();
        var token = await host.BootstrapAsync();
        using (var response = await host.SendAsync(HttpMethod.Patch, "/admin/owners/acme", token, AdminTestHost.Json(json)))
        {
            await ProblemAssert.IsValidationProblemAsync(response, field);
        }

        await AssertNoLimitsAsync(host, token, "acme");
    }

    [Fact]
    public async Task BadOwnersAndBodies_Are400Or415_NeverA500_AndWriteNothing()
    {
        await using var host = await StartAsync();
        var token = await host.BootstrapAsync();
        var tooLong = new string('a', 257);
        using (var response = await host.SendAsync(HttpMethod.Patch, $"/admin/owners/{tooLong}", token, AdminTestHost.Json("""{"quota":{"limit":5,"period":"month"}}""")))
        {
            await ProblemAssert.IsValidationProblemAsync(response, "owner");
        }

        using (var response = await host.SendAsync(HttpMethod.Get, $"/admin/owners/{tooLong}", token))
        {
            await ProblemAssert.IsValidationProblemAsync(response, "owner");
        }

        using (var response = await host.SendAsync(HttpMethod.Patch, "/admin/owners/acme", token, AdminTestHost.Json("""{"quota":""")))
        {
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        }

        using (var response = await host.SendAsync(HttpMethod.Patch, "/admin/owners/acme", token, new StringContent("quota=5")))
        {
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        }

        using (var response = await host.SendAsync(HttpMethod.Post, "/admin/keys/", token, AdminTestHost.Json("""{"name":"Acme","owner":" "}""")))
        {
            await ProblemAssert.IsValidationProblemAsync(response, "owner");
        }

        using (var response = await host.SendAsync(HttpMethod.Patch, "/admin/owners/acme", token: null, AdminTestHost.Json("""{"quota":{"limit":5,"period":"month"}}""")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        await AssertNoLimitsAsync(host, token, "acme");
    }

    [Fact]
    public async Task ReadOnlyAdminKey_CanGet_CannotPatch()
    {
        await using var host = await StartAsync();
        var token = await host.BootstrapAsync();
        var reader = await host.CreateAdminKeyAsync(token, AdminPermissions.KeysRead);
        using (var read = await host.SendWithKeyAsync(HttpMethod.Get, "/admin/owners/acme", reader))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        using (var patch = await host.SendWithKeyAsync(HttpMethod.Patch, "/admin/owners/acme", reader, AdminTestHost.Json("""{"quota":{"limit":5,"period":"month"}}""")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, patch.StatusCode);
        }

        await AssertNoLimitsAsync(host, token, "acme");
    }

    private static async Task<JsonElement> PatchOkAsync(AdminTestHost host, string token, string json)
    {
        using var response = await host.SendAsync(HttpMethod.Patch, "/admin/owners/acme", token, AdminTestHost.Json(json));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return body;
    }

    private static async Task AssertNoLimitsAsync(AdminTestHost host, string token, string owner)
    {
        using var read = await host.SendAsync(HttpMethod.Get, $"/admin/owners/{owner}", token);
        var body = await read.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("rate_limit").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("quota").ValueKind);
    }
}
