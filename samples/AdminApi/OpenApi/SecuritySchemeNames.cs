namespace AdminApi.OpenApi;

/// <summary>The security schemes the OpenAPI document declares, and the authentication schemes behind them.</summary>
internal static class SecuritySchemeNames
{
    /// <summary>HTTP bearer: Swagger UI's Authorize dialog takes the admin JWT and adds the <c>Bearer</c> prefix itself.</summary>
    public const string Bearer = "Bearer";

    /// <summary>OAuth2 password flow against <c>/admin/token</c>: the same admin JWT, obtained from the dialog.</summary>
    public const string OAuth2 = "OAuth2";

    /// <summary>API key in the <c>X-API-Key</c> header.</summary>
    public const string ApiKey = "ApiKey";

    /// <summary>The authentication scheme of admin tokens.</summary>
    public const string AdminAuthenticationScheme = P2P.ApiKeys.AdminDefaults.AuthenticationScheme;

    /// <summary>Where the admin endpoints issue tokens (the password flow's token URL).</summary>
    public const string AdminTokenPath = "/admin/token";
}
