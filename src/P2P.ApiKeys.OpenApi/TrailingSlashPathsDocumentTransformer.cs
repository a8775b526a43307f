using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace P2P.ApiKeys.OpenApi;

/// <summary>
/// Keeps the trailing slash of routes mapped with one, such as <c>POST /admin/users/</c> and <c>POST /admin/keys/</c>:
/// the document generator drops it, but the admin workflow (docs/admin-workflow.md) names these endpoints with it,
/// and Swagger UI should list them under the names the workflow tells users to look for. Routing matches the path
/// with or without the slash, so requests sent from Swagger UI work either way.
/// </summary>
internal sealed class TrailingSlashPathsDocumentTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        if (document.Paths is null)
        {
            return Task.CompletedTask;
        }

        // A document path gets its slash back only when every operation under it was mapped with one.
        var slashed = context.DescriptionGroups
            .SelectMany(g => g.Items)
            .Where(d => !string.IsNullOrEmpty(d.RelativePath))
            .GroupBy(d => "/" + d.RelativePath!.TrimEnd('/'), StringComparer.Ordinal)
            .Where(g => g.All(d => d.RelativePath!.EndsWith('/')))
            .Select(g => g.Key)
            .ToHashSet(StringComparer.Ordinal);

        // Rebuilt in the original order, so the document reads (and diffs) as before.
        var paths = document.Paths.ToList();
        document.Paths.Clear();
        foreach (var (path, item) in paths)
        {
            document.Paths.Add(slashed.Contains(path) ? path + "/" : path, item);
        }

        return Task.CompletedTask;
    }
}
