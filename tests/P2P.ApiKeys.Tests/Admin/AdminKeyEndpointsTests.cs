using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using P2P.ApiKeys.Caching;
using P2P.ApiKeys.ChangeNotifications;
using P2P.ApiKeys.KeyFormat;
using P2P.ApiKeys.Stores;
using P2P.Tests.Shared;

namespace P2P.ApiKeys.Tests.Admin;

public sealed class AdminKeyEndpointsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateKey_NameOnly_Returns201WithFullKeyOnceAndDefaultScopes()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();

        using var response = await host.SendAsync(HttpMethod.Post, "/admin/keys/", token, AdminTestHost.Json("""{"name": "Streamlit App Key"}"""));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var key = body.GetProperty("key").GetString()!;
        var id = Guid.Parse(body.GetProperty("id").GetString()!);
        Assert.StartsWith("p2p_", key, StringComparison.Ordinal);
        Assert.Equal(["p2p:read"], body.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("Streamlit App Key", body.GetProperty("name").GetString());
        Assert.Equal(host.Time.GetUtcNow(), body.GetProperty("created_at").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("expires_at").ValueKind);
        Assert.EndsWith($"/admin/keys/{id}", response.Headers.Location?.ToString(), StringComparison.Ordinal);

        var format = host.App.Services.GetRequiredService<ApiKeyFormat>();
        Assert.Equal(ApiKeyParseStatus.Valid, format.TryParse(key, out var parsed));
        Assert.Equal(body.GetProperty("lookup_id").GetString(), parsed.LookupId.ToString());
        var stored = await host.Keys.FindByIdAsync(id, Ct);
        Assert.True(host.App.Services.GetRequiredService<ApiKeySecretHasher>().Verify(key.AsSpan()[^38..^6], stored!.SecretHash));
        Assert.Equal(AdminTestHost.AdminName, stored.Owner);
    }

    [Fact]
    public async Task CreateKey_ScopesAndExpiry_AreStoredAsGiven()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        var expiresAt = host.Time.GetUtcNow().AddDays(30);

        var body = await host.CreateKeyAsync(token,
            $$"""{"name":"Reporting","scopes":["p2p:read","p2p:write","p2p:read"],"expires_at":"{{expiresAt:O}}"}""");

        Assert.Equal(["p2p:read", "p2p:write"], body.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(expiresAt, body.GetProperty("expires_at").GetDateTimeOffset());
        var stored = await host.Keys.FindByIdAsync(Guid.Parse(body.GetProperty("id").GetString()!), Ct);
        Assert.Equal(expiresAt, stored!.ExpiresAt);
    }

    [Fact]
    public async Task ListAndGetKey_AfterCreation_NeverReturnKeyOrHash()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        var created = await host.CreateKeyAsync(token);
        var key = created.GetProperty("key").GetString()!;
        var id = created.GetProperty("id").GetString()!;
        var stored = await host.Keys.FindByIdAsync(Guid.Parse(id), Ct);
        var secret = key[^38..^6];

        using var list = await host.SendAsync(HttpMethod.Get, "/admin/keys/", token);
        using var get = await host.SendAsync(HttpMethod.Get, $"/admin/keys/{id}", token);

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        foreach (var text in new[] { await list.Content.ReadAsStringAsync(Ct), await get.Content.ReadAsStringAsync(Ct) })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(stored!.SecretHash), text, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexString(stored.SecretHash), text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("\"key\"", text, StringComparison.Ordinal);
        }

        var metadata = await get.Content.ReadFromJsonAsync<JsonElement>(Ct);
        foreach (var field in new[] { "id", "lookup_id", "name", "owner", "scopes", "created_at", "expires_at", "last_used_at", "revoked_at", "replaced_by" })
        {
            Assert.True(metadata.TryGetProperty(field, out _), field);
        }
    }

    [Fact]
    public async Task ListKeys_PageSizeAboveServerMaximum_IsCapped()
    {
        await using var host = await AdminTestHost.StartAsync(keys: o => o.MaxPageSize = 3);
        var token = await host.BootstrapAsync();
        for (var i = 0; i < 5; i++)
        {
            host.Time.Advance(TimeSpan.FromSeconds(1));
            await host.CreateKeyAsync(token, $$"""{"name":"key {{i}}"}""");
        }

        using var first = await host.SendAsync(HttpMethod.Get, "/admin/keys/?page_size=1000", token);
        using var second = await host.SendAsync(HttpMethod.Get, "/admin/keys/?page=2&page_size=1000", token);

        var firstBody = await first.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var secondBody = await second.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(3, firstBody.GetProperty("items").GetArrayLength());
        Assert.Equal(3, firstBody.GetProperty("page_size").GetInt32());
        Assert.Equal(5, firstBody.GetProperty("total").GetInt64());
        Assert.Equal("key 4", firstBody.GetProperty("items")[0].GetProperty("name").GetString()); // newest first
        Assert.Equal(2, secondBody.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("page=0")]
    [InlineData("page=-1")]
    [InlineData("page=abc")]
    [InlineData("page_size=0")]
    [InlineData("page_size=1e3")]
    public async Task ListKeys_InvalidPaging_Returns400(string query)
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();

        using var response = await host.SendAsync(HttpMethod.Get, $"/admin/keys/?{query}", token);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("00000000-0000-0000-0000-000000000001")]
    [InlineData("%7B%7D")]
    public async Task KeyById_InvalidOrUnknownId_Returns404OnGetRevokeAndRotate(string id)
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();

        using var get = await host.SendAsync(HttpMethod.Get, $"/admin/keys/{id}", token);
        using var revoke = await host.SendAsync(HttpMethod.Delete, $"/admin/keys/{id}", token);
        using var rotate = await host.SendAsync(HttpMethod.Post, $"/admin/keys/{id}/rotate", token);

        await ProblemAssert.IsProblemAsync(get, HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(revoke, HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(rotate, HttpStatusCode.NotFound);
        Assert.Equal(0, await host.Keys.CountAsync(Ct));
    }

    public static TheoryData<string, string, HttpStatusCode> BadCreateRequests() => new()
    {
        { "application/json", """{"name": "x",""", HttpStatusCode.BadRequest },
        { "application/json", """not json""", HttpStatusCode.BadRequest },
        { "application/json", """["name"]""", HttpStatusCode.BadRequest },
        { "application/json", """null""", HttpStatusCode.BadRequest },
        { "application/json", "", HttpStatusCode.BadRequest },
        { "application/json", """{"name":"k","owner":""}""", HttpStatusCode.BadRequest }, // an owner may be given (issue 22), but not a blank one
        { "application/json", """{"name":"k","is_admin":true}""", HttpStatusCode.BadRequest },
        { "application/json", """{"Name":"k"}""", HttpStatusCode.BadRequest },
        { "application/json", """{"name":"k","name":"j"}""", HttpStatusCode.BadRequest },
        { "application/json", """{"name":42}""", HttpStatusCode.BadRequest },
        { "application/json", """{}""", HttpStatusCode.BadRequest },
        { "application/json", """{"name":""}""", HttpStatusCode.BadRequest },
        { "application/json", """{"name":"   "}""", HttpStatusCode.BadRequest },
        { "application/json", $$"""{"name":"{{new string('n', 101)}}"}""", HttpStatusCode.BadRequest },
        { "application/json", """{"name":"line\nbreak"}""", HttpStatusCode.BadRequest },
        { "application/json", """{"name":"nul\u0000char"}""", HttpStatusCode.BadRequest },
        { "application/json", """{"name":"bidi\u202Eoverride"}""", HttpStatusCode.BadRequest },
        { "application/json", """{"name":"lone \uD800 surrogate"}""", HttpStatusCode.BadRequest },
        { "application/json", """{"name":"k","expires_at":"2000-01-01T00:00:00Z"}""", HttpStatusCode.BadRequest },
        { "application/json", """{"name":"k","expires_at":"tomorrow"}""", HttpStatusCode.BadRequest },
        { "application/json", """{"name":"k","scopes":["has space"]}""", HttpStatusCode.BadRequest },
        { "application/json", """{"name":"k","scopes":[""]}""", HttpStatusCode.BadRequest },
        { "application/json", """{"name":"k","scopes":[null]}""", HttpStatusCode.BadRequest },
        { "application/json", """{"name":"k","scopes":"p2p:read"}""", HttpStatusCode.BadRequest },
        { "application/json", $$"""{"name":"k","scopes":["{{new string('s', 101)}}"]}""", HttpStatusCode.BadRequest },
        { "application/json", $$"""{"name":"k","scopes":[{{string.Join(",", Enumerable.Range(0, 33).Select(i => $"\"s{i}\""))}}]}""", HttpStatusCode.BadRequest },
        { "application/json", $$"""{"name":"{{new string('n', 20_000)}}"}""", HttpStatusCode.RequestEntityTooLarge },
        { "text/plain", """{"name":"k"}""", HttpStatusCode.UnsupportedMediaType },
        { "application/x-www-form-urlencoded", "name=k", HttpStatusCode.UnsupportedMediaType },
        { "application/xml", "<name>k</name>", HttpStatusCode.UnsupportedMediaType },
    };

    [Theory]
    [MemberData(nameof(BadCreateRequests))]
    public async Task CreateKey_BadInput_ReturnsProblemAndStoresNothing(string contentType, string body, HttpStatusCode expected)
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        var auditBefore = await host.Audit.CountAsync(Ct);
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await host.SendAsync(HttpMethod.Post, "/admin/keys/", token, content);

        await ProblemAssert.IsProblemAsync(response, expected);
        Assert.Equal(0, await host.Keys.CountAsync(Ct));
        Assert.Equal(auditBefore, await host.Audit.CountAsync(Ct));
    }

    [Fact]
    public async Task CreateKey_NoContentType_Returns415()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        using var content = new ByteArrayContent("""{"name":"k"}"""u8.ToArray());

        using var response = await host.SendAsync(HttpMethod.Post, "/admin/keys/", token, content);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(0, await host.Keys.CountAsync(Ct));
    }

    [Fact]
    public async Task CreateKey_FiftyInParallel_AllSucceedWithDistinctKeys()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();

        var bodies = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => host.CreateKeyAsync(token, $$"""{"name":"parallel {{i}}"}"""), Ct)));

        Assert.Equal(50, bodies.Select(b => b.GetProperty("key").GetString()).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(50, bodies.Select(b => b.GetProperty("lookup_id").GetString()).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(50, bodies.Select(b => b.GetProperty("id").GetString()).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(50, await host.Keys.CountAsync(Ct));
    }

    [Fact]
    public async Task RevokeKey_Existing_Returns204KeepsRecordAndNotifiesCache()
    {
        var notifier = new RecordingChangeNotifier();
        await using var host = await AdminTestHost.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton<IApiKeyChangeNotifier>(notifier)));
        var token = await host.BootstrapAsync();
        var created = await host.CreateKeyAsync(token);
        var id = created.GetProperty("id").GetString()!;

        using var response = await host.SendAsync(HttpMethod.Delete, $"/admin/keys/{id}", token);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var stored = await host.Keys.FindByIdAsync(Guid.Parse(id), Ct);
        Assert.Equal(host.Time.GetUtcNow(), stored!.RevokedAt);
        Assert.False(stored.IsActiveAt(host.Time.GetUtcNow()));
        Assert.Equal([created.GetProperty("lookup_id").GetString()!], notifier.Changed);
        using var get = await host.SendAsync(HttpMethod.Get, $"/admin/keys/{id}", token);
        Assert.Equal(host.Time.GetUtcNow(), (await get.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("revoked_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task RotateKey_WithGracePeriod_NewKeySameMetadataOldValidUntilGraceEnds()
    {
        var notifier = new RecordingChangeNotifier();
        await using var host = await AdminTestHost.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton<IApiKeyChangeNotifier>(notifier)));
        var token = await host.BootstrapAsync();
        var expiresAt = host.Time.GetUtcNow().AddDays(30);
        var old = await host.CreateKeyAsync(token, $$"""{"name":"Dashboard","scopes":["p2p:read"],"expires_at":"{{expiresAt:O}}"}""");
        var oldId = Guid.Parse(old.GetProperty("id").GetString()!);
        host.Time.Advance(TimeSpan.FromMinutes(1));

        using var response = await host.SendAsync(HttpMethod.Post, $"/admin/keys/{oldId}/rotate", token, AdminTestHost.Json("""{"grace_period_seconds":3600}"""));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var rotated = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.NotEqual(old.GetProperty("key").GetString(), rotated.GetProperty("key").GetString());
        Assert.Equal("Dashboard", rotated.GetProperty("name").GetString());
        Assert.Equal(["p2p:read"], rotated.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(expiresAt, rotated.GetProperty("expires_at").GetDateTimeOffset());
        var oldRecord = await host.Keys.FindByIdAsync(oldId, Ct);
        Assert.Equal(host.Time.GetUtcNow().AddHours(1), oldRecord!.RevokedAt);
        Assert.Equal(Guid.Parse(rotated.GetProperty("id").GetString()!), oldRecord.ReplacedByKeyId);
        Assert.True(oldRecord.IsActiveAt(host.Time.GetUtcNow().AddMinutes(59)));
        Assert.False(oldRecord.IsActiveAt(host.Time.GetUtcNow().AddHours(1)));
        Assert.Equal([old.GetProperty("lookup_id").GetString()!], notifier.Changed);

        using var again = await host.SendAsync(HttpMethod.Post, $"/admin/keys/{oldId}/rotate", token);
        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task RotateKey_GraceBeyondOldExpiry_OldKeyEndsAtItsOwnExpiry()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        var expiresAt = host.Time.GetUtcNow().AddMinutes(10);
        var old = await host.CreateKeyAsync(token, $$"""{"name":"Short","expires_at":"{{expiresAt:O}}"}""");
        var oldId = Guid.Parse(old.GetProperty("id").GetString()!);

        using var response = await host.SendAsync(HttpMethod.Post, $"/admin/keys/{oldId}/rotate", token, AdminTestHost.Json("""{"grace_period_seconds":86400}"""));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(expiresAt, (await host.Keys.FindByIdAsync(oldId, Ct))!.RevokedAt);
    }

    [Fact]
    public async Task RotateKey_NoBody_RevokesOldKeyAtOnce()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        var oldId = Guid.Parse((await host.CreateKeyAsync(token)).GetProperty("id").GetString()!);

        using var response = await host.SendAsync(HttpMethod.Post, $"/admin/keys/{oldId}/rotate", token);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(host.Time.GetUtcNow(), (await host.Keys.FindByIdAsync(oldId, Ct))!.RevokedAt);
        Assert.Equal(2, await host.Keys.CountAsync(Ct));
    }

    [Theory]
    [InlineData("""{"grace_period_seconds":-1}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"grace_period_seconds":604801}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"grace_period_seconds":"60"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"grace":60}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"grace_period_seconds":""", HttpStatusCode.BadRequest)]
    public async Task RotateKey_BadInput_ReturnsProblemAndChangesNothing(string json, HttpStatusCode expected)
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        var oldId = Guid.Parse((await host.CreateKeyAsync(token)).GetProperty("id").GetString()!);

        using var response = await host.SendAsync(HttpMethod.Post, $"/admin/keys/{oldId}/rotate", token, AdminTestHost.Json(json));

        await ProblemAssert.IsProblemAsync(response, expected);
        Assert.Null((await host.Keys.FindByIdAsync(oldId, Ct))!.RevokedAt);
        Assert.Equal(1, await host.Keys.CountAsync(Ct));
    }

    [Fact]
    public async Task RotateKey_RevokedKey_Returns409()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        var oldId = (await host.CreateKeyAsync(token)).GetProperty("id").GetString()!;
        (await host.SendAsync(HttpMethod.Delete, $"/admin/keys/{oldId}", token)).Dispose();

        using var response = await host.SendAsync(HttpMethod.Post, $"/admin/keys/{oldId}/rotate", token);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal(1, await host.Keys.CountAsync(Ct));
    }
}
