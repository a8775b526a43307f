using Microsoft.AspNetCore.OpenApi;

namespace P2P.ApiKeys.OpenApi;

/// <summary>Registers the OpenAPI transformers that describe P2P.ApiKeys' endpoints and security schemes.</summary>
public static class ApiKeyOpenApiOptionsExtensions
{
    /// <summary>
    /// Adds the <see cref="ApiKeyOpenApiSchemes.Bearer"/> and <see cref="ApiKeyOpenApiSchemes.ApiKey"/> security
    /// schemes; a security requirement on every operation that its authorization metadata asks for (optional on the
    /// anonymous first-admin bootstrap); the trailing slash of routes mapped with one; the admin login form's
    /// <c>grant_type</c> enum and masked password; request bodies in the one media type each route reads (no <c>*/*</c>); and
    /// an example body that works as is for every admin operation.
    /// </summary>
    /// <param name="options">The options of one OpenAPI document (<c>services.AddOpenApi(o => ...)</c>).</param>
    /// <returns>The same options, for chaining.</returns>
    public static OpenApiOptions AddApiKeyTransformers(this OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddDocumentTransformer<SecuritySchemesDocumentTransformer>();
        options.AddDocumentTransformer<TrailingSlashPathsDocumentTransformer>();
        options.AddOperationTransformer<AuthorizationOperationTransformer>();
        options.AddOperationTransformer<RequestBodyMediaTypesOperationTransformer>();
        options.AddSchemaTransformer<AdminContractsSchemaTransformer>();
        return options;
    }
}
