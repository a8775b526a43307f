using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

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
}
