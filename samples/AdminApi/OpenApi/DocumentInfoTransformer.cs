using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AdminApi.OpenApi;

/// <summary>
/// The sample's own part of the document: its title and the descriptions of its tags. The security schemes, the
/// per-operation security and the admin examples come from P2P.ApiKeys.OpenApi (<c>AddApiKeyTransformers()</c>).
/// </summary>
internal sealed class DocumentInfoTransformer : IOpenApiDocumentTransformer
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
