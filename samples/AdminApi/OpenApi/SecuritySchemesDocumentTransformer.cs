using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using P2P.ApiKeys;

namespace AdminApi.OpenApi;

/// <summary>
/// Declares the document's title, tag descriptions and security schemes: <c>Bearer</c> (admin JWT),
/// <c>OAuth2</c> (password flow against <c>/admin/token</c>, same JWT) and <c>ApiKey</c> (<c>X-API-Key</c>).
/// Which operation needs which is decided per endpoint by <see cref="AuthorizationOperationTransformer"/>.
/// </summary>
internal sealed class SecuritySchemesDocumentTransformer : IOpenApiDocumentTransformer
{
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Admin User Management"] = "Admin accounts: one-time bootstrap of the first admin, then admin-only management.",
        ["Admin API Key Management"] = "Create (shown once), list, rotate and revoke API keys. Needs an admin token: Authorize with 'Bearer'.",
        ["Admin Audit"] = "The trail of admin actions (who created, rotated or revoked what, and when). Needs an admin token.",
        [Microsoft.AspNetCore.Routing.ProcurementEndpoints.Tag] = "Procure-to-pay demo data read by the dashboard. Needs an API key with scope p2p:read: Authorize with 'ApiKey'.",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "P2P AdminApi",
            Version = "v1",
            Description = "Admin-to-client API-key workflow (P2P.ApiKeys sample): create the first admin, log in at /admin/token, "
                + "Authorize with the token, create an API key, and read the procure-to-pay data with it.",
        };

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        var schemes = document.Components.SecuritySchemes;

        schemes[SecuritySchemeNames.Bearer] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "Admin access token from POST /admin/token. Paste the token only; 'Bearer ' is added for you.",
        };
        schemes[SecuritySchemeNames.OAuth2] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.OAuth2,
            Description = "Log in with admin username and password; Swagger UI calls /admin/token and keeps the token.",
            Flows = new OpenApiOAuthFlows
            {
                Password = new OpenApiOAuthFlow
                {
                    TokenUrl = new Uri(SecuritySchemeNames.AdminTokenPath, UriKind.Relative),
                    Scopes = new Dictionary<string, string>(StringComparer.Ordinal),
                },
            },
        };
        schemes[SecuritySchemeNames.ApiKey] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyDefaults.HeaderName,
            Description = "API key (p2p_...) created by an admin; the data routes need scope p2p:read.",
        };

        // Every tag an operation uses gets a document-level entry, with a description where we have one.
        document.Tags ??= new HashSet<OpenApiTag>();
        var used = (document.Paths?.Values ?? Enumerable.Empty<IOpenApiPathItem>())
            .SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>())
            .SelectMany(o => o.Tags ?? new HashSet<OpenApiTagReference>())
            .Select(t => t.Name)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        foreach (var name in used)
        {
            var tag = document.Tags.FirstOrDefault(t => t.Name == name);
            if (tag is null)
            {
                tag = new OpenApiTag { Name = name };
                document.Tags.Add(tag);
            }

            if (tag.Description is null && TagDescriptions.TryGetValue(name, out var description))
            {
                tag.Description = description;
            }
        }

        return Task.CompletedTask;
    }
}
