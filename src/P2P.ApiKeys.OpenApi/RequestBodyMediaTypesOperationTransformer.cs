using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace P2P.ApiKeys.OpenApi;

/// <summary>
/// Offers each request body in the media type the route reads, never <c>*/*</c>. The admin routes list <c>*/*</c> in
/// their accepts metadata only so that routing lets a wrong content type through to the route's own 415 ProblemDetails
/// (otherwise it answers a bare 415); Swagger UI would offer it as a choice in the body's media-type list.
/// </summary>
internal sealed class RequestBodyMediaTypesOperationTransformer : IOpenApiOperationTransformer
{
    private const string AnyMediaType = "*/*";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.RequestBody?.Content is { Count: > 1 } content && content.ContainsKey(AnyMediaType))
        {
            content.Remove(AnyMediaType);
        }

        return Task.CompletedTask;
    }
}
