using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace P2P.ApiKeys.Admin;

/// <summary>OpenAPI metadata helpers shared by the admin endpoints.</summary>
internal static class AdminEndpointMetadata
{
    /// <summary>
    /// Documents the request body as <paramref name="contentType"/>. <c>*/*</c> is listed too because routing turns
    /// any content type missing from the metadata into a bare 415 without a body; listing the wildcard lets every
    /// request reach the endpoint, which then answers a wrong content type with a 415 ProblemDetails itself. The OpenAPI
    /// package (<c>AddApiKeyTransformers</c>) drops the wildcard from the document, so Swagger UI offers the one type.
    /// </summary>
    public static RouteHandlerBuilder AcceptsBody<TRequest>(this RouteHandlerBuilder builder, string contentType)
        where TRequest : notnull =>
        builder.Accepts<TRequest>(contentType, "*/*");
}
