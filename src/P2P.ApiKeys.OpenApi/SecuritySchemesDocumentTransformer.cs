using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using P2P.ApiKeys.Authentication;

namespace P2P.ApiKeys.OpenApi;

/// <summary>
/// Declares the security schemes: <see cref="ApiKeyOpenApiSchemes.Bearer"/> (the admin token) and
/// <see cref="ApiKeyOpenApiSchemes.ApiKey"/> (<c>X-API-Key</c>). Which operation needs which is decided per endpoint
/// by <see cref="AuthorizationOperationTransformer"/>.
/// </summary>
/// <remarks>
/// No OAuth2 password flow: Swagger UI's dialog for it asks for a client id, a client secret and scopes, none of
/// which mean anything here, and the workflow already logs in at <c>POST /admin/token</c> and pastes the token.
/// </remarks>
internal sealed class SecuritySchemesDocumentTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        var schemes = document.Components.SecuritySchemes;

        schemes[ApiKeyOpenApiSchemes.Bearer] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "Admin access token: the access_token of POST /admin/token. Paste the token only; Swagger UI adds 'Bearer ' itself.",
        };
        schemes[ApiKeyOpenApiSchemes.ApiKey] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyDefaults.HeaderName,
            Description = "API key (p2p_...) created by an admin with POST /admin/keys/.",
        };
        return Task.CompletedTask;
    }
}
