using System.Net;
using System.Text.Json;
using P2P.AdminApi.Tests.Infrastructure;

namespace P2P.AdminApi.Tests.EndToEnd;

/// <summary>
/// docs/security.md rule 21 over real HTTP on real Kestrel: parallel rotations, revocations and disables of one key. Whatever
/// the interleaving, exactly one request changes the key and the others get 409 (or, for a disable that read the key
/// after the winner, 200 with nothing written); no extra live key is ever minted.
/// </summary>
internal static class ParallelKeyChanges
{
    private const int Parallel = 10;

    public static async Task AssertExactlyOneWinsAsync(SampleHost host, CancellationToken ct)
    {
        var admin = await AdminSession.BootstrapAsync(host.Client, "admin", "a long admin passphrase");

        // Rotations: one 201 with a working key; the old key points to it; every other answer is a 409 problem.
        var old = await admin.CreateKeyResponseAsync(new { name = "Rotated in parallel" });
        var oldId = old.GetProperty("id").GetString()!;
        var rotations = await SendAllAsync(admin, HttpMethod.Post, $"/admin/keys/{oldId}/rotate", new { grace_period_seconds = 600 });
        var won = Assert.Single(rotations, r => r.Status == HttpStatusCode.Created);
        Assert.All(rotations.Where(r => r.Status != HttpStatusCode.Created), AssertConflict);
        using (var stored = await admin.SendAsync(HttpMethod.Get, $"/admin/keys/{oldId}"))
        {
            var replacedBy = JsonDocument.Parse(await stored.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("replaced_by").GetString();
            Assert.Equal(won.Body.GetProperty("id").GetString(), replacedBy);
        }

        Assert.Equal(HttpStatusCode.OK, await SummaryAsync(host.Client, won.Body.GetProperty("key").GetString()!, ct));
        Assert.Equal(HttpStatusCode.OK, await SummaryAsync(host.Client, old.GetProperty("key").GetString()!, ct)); // grace

        // Revocations: one 204, the others 409; the key is refused.
        var revoked = await admin.CreateKeyResponseAsync(new { name = "Revoked in parallel" });
        var revocations = await SendAllAsync(admin, HttpMethod.Delete, $"/admin/keys/{revoked.GetProperty("id").GetString()}", null);
        Assert.Single(revocations, r => r.Status == HttpStatusCode.NoContent);
        Assert.All(revocations.Where(r => r.Status != HttpStatusCode.NoContent), AssertConflict);
        Assert.Equal(HttpStatusCode.Unauthorized, await SummaryAsync(host.Client, revoked.GetProperty("key").GetString()!, ct));

        // Disabling: exactly one request writes. The others lost the race (409), or read the key after the winner wrote
        // and found nothing to change (200, a no-op that writes nothing): one key.disabled entry in the audit trail.
        var disabled = await admin.CreateKeyResponseAsync(new { name = "Disabled in parallel" });
        var disabledId = disabled.GetProperty("id").GetString();
        var disables = await SendAllAsync(admin, HttpMethod.Patch, $"/admin/keys/{disabledId}", new { enabled = false });
        Assert.Contains(disables, r => r.Status == HttpStatusCode.OK);
        Assert.All(disables.Where(r => r.Status != HttpStatusCode.OK), AssertConflict);
        using (var audit = await admin.SendAsync(HttpMethod.Get, "/admin/audit?page_size=100"))
        {
            var entries = JsonDocument.Parse(await audit.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("items").EnumerateArray();
            Assert.Single(entries, e => e.GetProperty("action").GetString() == "key.disabled" && e.GetProperty("target").GetString() == disabledId);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await SummaryAsync(host.Client, disabled.GetProperty("key").GetString()!, ct));

        // Rotations racing revocations: at most one rotation wins, and a revocation that raced it from the same state lost.
        var raced = await admin.CreateKeyResponseAsync(new { name = "Raced" });
        var racedId = raced.GetProperty("id").GetString()!;
        var mixed = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(i => i % 2 == 0
            ? SendAsync(admin, HttpMethod.Post, $"/admin/keys/{racedId}/rotate", new { grace_period_seconds = 600 })
            : SendAsync(admin, HttpMethod.Delete, $"/admin/keys/{racedId}", null)));
        Assert.True(mixed.Count(r => r.Status == HttpStatusCode.Created) <= 1);
        Assert.True(mixed.Count(r => r.Status == HttpStatusCode.NoContent) <= 1);
        Assert.All(mixed.Where(r => r.Status is not (HttpStatusCode.Created or HttpStatusCode.NoContent)), AssertConflict);
        using var list = await admin.SendAsync(HttpMethod.Get, "/admin/keys/?page_size=100");
        var total = JsonDocument.Parse(await list.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("total").GetInt64();
        Assert.Equal(5 + mixed.Count(r => r.Status == HttpStatusCode.Created), total); // 4 created, 1 replacement above, and this race's
    }

    private static void AssertConflict((HttpStatusCode Status, JsonElement Body, string? ContentType) response)
    {
        Assert.Equal(HttpStatusCode.Conflict, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal(409, response.Body.GetProperty("status").GetInt32());
    }

    private static Task<(HttpStatusCode Status, JsonElement Body, string? ContentType)[]> SendAllAsync(AdminSession admin, HttpMethod method, string path, object? json) =>
        Task.WhenAll(Enumerable.Range(0, Parallel).Select(_ => SendAsync(admin, method, path, json)));

    private static async Task<(HttpStatusCode Status, JsonElement Body, string? ContentType)> SendAsync(AdminSession admin, HttpMethod method, string path, object? json)
    {
        await Task.Yield();
        using var response = await admin.SendAsync(method, path, json);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, body, response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<HttpStatusCode> SummaryAsync(HttpClient client, string key, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/p2p/summary");
        request.Headers.Add("X-API-Key", key);
        using var response = await client.SendAsync(request, ct);
        return response.StatusCode;
    }
}
