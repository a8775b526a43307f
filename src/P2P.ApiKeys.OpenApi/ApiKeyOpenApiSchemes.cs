using P2P.ApiKeys.Authentication;
namespace P2P.ApiKeys.OpenApi;

/// <summary>The names of the security schemes that <see cref="ApiKeyOpenApiOptionsExtensions.AddApiKeyTransformers"/> declares.</summary>
public static class ApiKeyOpenApiSchemes
{
    /// <summary>HTTP bearer: the admin token. Swagger UI's Authorize dialog takes the token only and adds <c>Bearer </c> itself.</summary>
    public const string Bearer = "Bearer";

    /// <summary>API key in the <see cref="ApiKeyDefaults.HeaderName"/> header.</summary>
    public const string ApiKey = "ApiKey";
}
