using P2P.ApiKeys.Stores;
using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using P2P.Tests.Shared;

namespace P2P.ApiKeys.Tests.Admin;

/// <summary>
/// One 401 per mistake, each saying what to do: no token, "Bearer" twice, not a bearer value, the bootstrap closed,
/// an expired token of ours. A token that is not ours, expired or not, only learns "not valid".
/// </summary>
public sealed class AdminUnauthorizedMessagesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> DetailAsync(HttpResponseMessage response)
    {
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        return problem.GetProperty("detail").GetString()!;
    }

    private static Task<HttpResponseMessage> SendRawAsync(AdminTestHost host, HttpMethod method, string path, string? authorization, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return host.Client.SendAsync(request, Ct);
    }

    [Fact]
    public async Task AdminRoute_NoToken_Returns401SayingHowToGetOne()
    {
        await using var host = await AdminTestHost.StartAsync();
        await host.BootstrapAsync();

        using var response = await SendRawAsync(host, HttpMethod.Get, "/admin/keys/", authorization: null);

        Assert.Equal(
            "No admin token was sent. Log in with POST /admin/token and send its access_token as 'Authorization: Bearer <token>' (in Swagger UI: Authorize, paste the token only).",
            await DetailAsync(response));
    }

    [Theory]
    [InlineData("Bearer Bearer {0}")]
    [InlineData("bearer  BEARER {0}")]
    [InlineData("Bearer Bearer")]
    public async Task AdminRoute_BearerTwice_Returns401SayingSo(string format)
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();

        using var response = await SendRawAsync(host, HttpMethod.Get, "/admin/keys/", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, token));

        var detail = await DetailAsync(response);
        Assert.StartsWith("The Authorization header says 'Bearer' twice.", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(token, detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Token {0}")]
    [InlineData("{0}")]
    [InlineData("Basic YWxpY2U6cGFzc3dvcmQ=")]
    public async Task AdminRoute_NotABearerValue_Returns401SayingTheFormat(string format)
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();

        using var response = await SendRawAsync(host, HttpMethod.Get, "/admin/keys/", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, token));

        Assert.Equal("The Authorization header must be 'Bearer <token>', with the access_token of POST /admin/token.", await DetailAsync(response));
    }

    [Fact]
    public async Task CreateAdmin_SecondAnonymousBootstrap_Returns401SayingAnAdminExists()
    {
        await using var host = await AdminTestHost.StartAsync();
        await host.BootstrapAsync();

        using var response = await host.CreateAdminAsync("mallory", "another long passphrase");

        Assert.Equal(
            "An admin already exists: log in with POST /admin/token and Authorize with the token to create more admins.",
            await DetailAsync(response));
        Assert.Equal(1, await host.Users.CountAsync(Ct));
    }

    [Fact]
    public async Task AdminRoute_ExpiredTokenNotOurs_Returns401WithoutSayingExpired()
    {
        await using var host = await AdminTestHost.StartAsync();
        await host.BootstrapAsync();
        var admin = (await host.Users.FindByNormalizedUserNameAsync("ALICE", Ct))!;
        var now = host.Time.GetUtcNow().UtcDateTime;
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "P2P.ApiKeys",
            Audience = "P2P.ApiKeys.Admin",
            IssuedAt = now.AddHours(-2),
            NotBefore = now.AddHours(-2),
            Expires = now.AddHours(-1),
            TokenType = AdminDefaults.TokenType,
            Claims = new Dictionary<string, object> { ["sub"] = admin.Id.ToString(), [AdminDefaults.SecurityStampClaimType] = admin.SecurityStamp },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(new byte[32]), SecurityAlgorithms.HmacSha256),
        });

        using var response = await host.SendAsync(HttpMethod.Get, "/admin/keys/", forged);

        var detail = await DetailAsync(response);
        Assert.Equal("The admin token is not valid (or no longer valid): log in again with POST /admin/token and use the new token.", detail);
    }

    [Fact]
    public async Task AdminRoute_TokenOfRemovedAdmin_Returns401NotValid()
    {
        await using var host = await AdminTestHost.StartAsync();
        var token = await host.BootstrapAsync();
        var admin = (await host.Users.FindByNormalizedUserNameAsync("ALICE", Ct))!;
        admin.SecurityStamp = Guid.NewGuid().ToString("N");
        Assert.Equal(ApiKeyStoreResult.Success, await host.Users.UpdateAsync(admin, Ct));

        using var response = await host.SendAsync(HttpMethod.Get, "/admin/keys/", token);

        var detail = await DetailAsync(response);
        Assert.StartsWith("The admin token is not valid", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(admin.Id.ToString(), detail, StringComparison.OrdinalIgnoreCase);
    }
}
