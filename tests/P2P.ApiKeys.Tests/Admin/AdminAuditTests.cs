using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.Management;
using P2P.Tests.Shared;

namespace P2P.ApiKeys.Tests.Admin;

public sealed class AdminAuditTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AdminWorkflow_EveryAction_IsAuditedAndNoSecretIsLoggedOrAudited()
    {
        await using var host = await AdminTestHost.StartAsync(admin: o => o.Lockout.Threshold = 1);
        const string bobPassword = "bob's long passphrase";
        const string bobNewPassword = "bob's newer passphrase";
        const string wrongPassword = "a wrong guess of a passphrase";

        var token = await host.BootstrapAsync();                                                   // admin.created, login.succeeded
        var created = await host.CreateKeyAsync(token);                                            // key.created
        var id = created.GetProperty("id").GetString();
        using var rotate = await host.SendAsync(HttpMethod.Post, $"/admin/keys/{id}/rotate", token); // key.rotated
        var rotated = await rotate.Content.ReadFromJsonAsync<JsonElement>(Ct);
        (await host.SendAsync(HttpMethod.Delete, $"/admin/keys/{rotated.GetProperty("id").GetString()}", token)).Dispose(); // key.revoked
        (await host.CreateAdminAsync("bob", bobPassword, token)).Dispose();                         // admin.created
        var bobToken = await host.LoginAsync("bob", bobPassword);
        (await host.SendAsync(HttpMethod.Post, "/admin/users/me/password", bobToken,
            AdminTestHost.Json($$"""{"current_password":"{{bobPassword}}","new_password":"{{bobNewPassword}}"}"""))).Dispose(); // password.changed
        (await host.RequestTokenAsync("bob", wrongPassword, clientIp: "203.0.113.7")).Dispose();   // login.failed
        (await host.RequestTokenAsync("bob", bobNewPassword, clientIp: "203.0.113.7")).Dispose();  // login.throttled
        var bob = await host.Users.FindByNormalizedUserNameAsync("BOB", Ct);
        (await host.SendAsync(HttpMethod.Delete, $"/admin/users/{bob!.Id}", token)).Dispose();     // admin.deleted

        using var response = await host.SendAsync(HttpMethod.Get, "/admin/audit?page_size=100", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var auditText = await response.Content.ReadAsStringAsync(Ct);
        var entries = JsonDocument.Parse(auditText).RootElement.GetProperty("items").EnumerateArray().ToList();
        var actions = entries.Select(e => e.GetProperty("action").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?>
        {
            "admin.created", "admin.deleted", "password.changed", "login.succeeded", "login.failed", "login.throttled",
            "key.created", "key.revoked", "key.rotated",
        }, actions);
        var keyCreated = Assert.Single(entries, e => e.GetProperty("action").GetString() == "key.created");
        Assert.Equal(AdminTestHost.AdminName, keyCreated.GetProperty("actor").GetString());
        Assert.Equal(id, keyCreated.GetProperty("target").GetString());
        Assert.Equal("127.0.0.1", keyCreated.GetProperty("client_address").GetString());
        Assert.Equal(host.Time.GetUtcNow(), keyCreated.GetProperty("occurred_at").GetDateTimeOffset());
        var failed = Assert.Single(entries, e => e.GetProperty("action").GetString() == "login.failed");
        Assert.Equal("203.0.113.7", failed.GetProperty("client_address").GetString());
        Assert.Equal("bob", failed.GetProperty("target").GetString());

        var secrets = new[]
        {
            AdminTestHost.AdminPassword, bobPassword, bobNewPassword, wrongPassword, token, bobToken,
            created.GetProperty("key").GetString()!, rotated.GetProperty("key").GetString()!,
            created.GetProperty("key").GetString()![^38..^6], bob.PasswordHash,
        };
        var logText = string.Join('\n', host.Logs.GetSnapshot().Select(r => string.Join('\n',
            new[] { r.Message, r.Exception?.ToString() ?? "" }.Concat(r.StructuredState?.Select(p => p.Key + "=" + p.Value) ?? []))));
        Assert.NotEmpty(logText);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, auditText, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, logText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Audit_PageSizeAboveServerMaximum_IsCapped()
    {
        await using var host = await AdminTestHost.StartAsync(keys: o => o.MaxPageSize = 2);
        var token = await host.BootstrapAsync();
        await host.CreateKeyAsync(token);

        using var response = await host.SendAsync(HttpMethod.Get, "/admin/audit?page_size=50", token);

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(2, body.GetProperty("items").GetArrayLength());
        Assert.Equal(3, body.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Audit_FilteredByKeyActorActionAndOwner_KeysetPagesEachEntryOnce()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        var adminKey = await host.CreateAdminKeyAsync(token, "admin:keys:write", "admin:keys:read");
        var adminKeyId = (await host.App.Services.GetRequiredService<IApiKeyManager>().FindByKeyAsync(adminKey, Ct)).Value!.Id;
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await host.CreateKeyAsync(token, $$"""{"name":"k{{i}}"}""")).GetProperty("id").GetString()!);
            host.Time.Advance(TimeSpan.FromSeconds(1));
        }

        using (var byKey = await host.SendWithKeyAsync(HttpMethod.Post, "/admin/keys/", adminKey, AdminTestHost.Json("""{"name":"by key"}""")))
        {
            Assert.Equal(HttpStatusCode.Created, byKey.StatusCode);
        }

        (await host.SendAsync(HttpMethod.Delete, $"/admin/keys/{ids[2]}", token)).Dispose();

        var forKey = await ItemsAsync(host, token, $"/admin/audit?key_id={ids[2]}");
        Assert.Equal(["key.revoked", "key.created"], forKey.Select(e => e.GetProperty("action").GetString()));
        Assert.All(forKey, e => Assert.Equal(ids[2], e.GetProperty("key_id").GetString()));
        Assert.All(forKey, e => Assert.Equal(AdminTestHost.AdminName, e.GetProperty("owner").GetString()));

        var byAdminKey = await ItemsAsync(host, token, $"/admin/audit?actor={adminKeyId}");
        var created = Assert.Single(byAdminKey);
        Assert.Equal("admin_key", created.GetProperty("actor_kind").GetString());
        Assert.Equal("key.created", created.GetProperty("action").GetString());

        Assert.Single(await ItemsAsync(host, token, "/admin/audit?action=key.revoked"));
        Assert.Equal(7, (await ItemsAsync(host, token, $"/admin/audit?action=key.created&owner={AdminTestHost.AdminName}")).Count);

        var from = host.Time.GetUtcNow().AddSeconds(-3).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var recent = await ItemsAsync(host, token, $"/admin/audit?action=key.created&from={Uri.EscapeDataString(from)}");
        Assert.Equal(4, recent.Count); // k2, k3, k4 (a second apart) and the one made by the admin key

        // Two at a time by cursor: all seven key.created entries, newest first, none twice, then no cursor.
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            using var response = await host.SendAsync(HttpMethod.Get,
                "/admin/audit?action=key.created&page_size=2" + (cursor is null ? "" : "&cursor=" + cursor), token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.False(body.TryGetProperty("total", out _));
            seen.AddRange(body.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()!));
            cursor = body.GetProperty("next_cursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(4, pages);
        Assert.Equal(7, seen.Distinct().Count());
        Assert.Equal(seen, (await ItemsAsync(host, token, "/admin/audit?action=key.created")).Select(e => e.GetProperty("id").GetString()!));
    }

    [Theory]
    [InlineData("key_id=not-a-guid", "key_id")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-13-45", "to")]
    [InlineData("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    [InlineData("cursor=bm90IGEgY3Vyc29y", "cursor")]
    [InlineData("cursor=%25%25%25", "cursor")]
    [InlineData("action=", "action")]
    [InlineData("owner=a&owner=b", "owner")]
    [InlineData("action=key.created&page=2", "page")]
    public async Task Audit_BadFilterOrCursor_ValidationProblem(string query, string parameter)
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();

        using var response = await host.SendAsync(HttpMethod.Get, "/admin/audit?" + query, token);

        await ProblemAssert.IsValidationProblemAsync(response, parameter);
    }

    private static async Task<List<JsonElement>> ItemsAsync(AdminTestHost host, string token, string path)
    {
        using var response = await host.SendAsync(HttpMethod.Get, path, token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return [.. body.GetProperty("items").EnumerateArray()];
    }
}
