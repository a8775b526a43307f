namespace P2P.ApiKeys.Authentication;

/// <summary>Default names used by API-key authentication.</summary>
public static class ApiKeyDefaults
{
    /// <summary>The authentication scheme name: <c>ApiKey</c>.</summary>
    public const string AuthenticationScheme = "ApiKey";

    /// <summary>The request header that carries the key: <c>X-API-Key</c>.</summary>
    public const string HeaderName = "X-API-Key";

    /// <summary>The scheme accepted in the <c>Authorization</c> header: <c>Authorization: ApiKey &lt;key&gt;</c>.</summary>
    public const string AuthorizationScheme = "ApiKey";
}
