using System.Net;
using System.Text.Json;

namespace P2P.ApiKeys.Tests.Admin;

/// <summary>
/// docs/security.md rule 25 for the library: every admin response, above all the ones that carry a full key or a
/// token, is sent with <c>Cache-Control: no-store</c> and <c>X-Content-Type-Options: nosniff</c>, whatever its
/// status and whoever produced it (the endpoint, a filter, the authorization middleware).
/// </summary>
public sealed class AdminResponseHeadersTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AdminResponses_EveryStatus_NoStoreAndNoSniff()
    {
        await using var host = await AdminTestHost.StartAsync();
        var responses = new List<(string What, HttpResponseMessage Response)>();
        try
        {
            responses.Add(("bootstrap 201", await host.CreateAdminAsync(AdminTestHost.AdminName, AdminTestHost.AdminPassword)));
            responses.Add(("token 200", await host.RequestTokenAsync(AdminTestHost.AdminName, AdminTestHost.AdminPassword)));
            var token = await host.LoginAsync();
            var create = await host.SendAsync(HttpMethod.Post, "/admin/keys/", token, AdminTestHost.Json("""{"name":"Cached?"}"""));
            responses.Add(("create key 201", create));
            var id = JsonDocument.Parse(await create.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetString();
            responses.Add(("rotate 201", await host.SendAsync(HttpMethod.Post, $"/admin/keys/{id}/rotate", token)));
            responses.Add(("list 200", await host.SendAsync(HttpMethod.Get, "/admin/keys/", token)));
            responses.Add(("get 200", await host.SendAsync(HttpMethod.Get, $"/admin/keys/{id}", token)));
            responses.Add(("unknown 404", await host.SendAsync(HttpMethod.Get, $"/admin/keys/{Guid.NewGuid()}", token)));
            responses.Add(("bad body 400", await host.SendAsync(HttpMethod.Post, "/admin/keys/", token, AdminTestHost.Json("{"))));
            responses.Add(("no token 401", await host.SendAsync(HttpMethod.Get, "/admin/keys/", token: null)));
            responses.Add(("wrong password 401", await host.RequestTokenAsync(AdminTestHost.AdminName, "wrong passphrase")));
            responses.Add(("audit 200", await host.SendAsync(HttpMethod.Get, "/admin/audit", token)));

            foreach (var (what, response) in responses)
            {
                Assert.True(response.Headers.CacheControl?.NoStore == true, $"{what}: Cache-Control {response.Headers.CacheControl}");
                Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var sniff) && sniff.Single() == "nosniff", $"{what}: nosniff");
            }
        }
        finally
        {
            responses.ForEach(r => r.Response.Dispose());
        }
    }
}
