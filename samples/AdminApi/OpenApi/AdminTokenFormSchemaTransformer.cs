using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AdminApi.OpenApi;

/// <summary>
/// Adds what the library's form metadata cannot say with attributes: <c>grant_type</c> may only be
/// <c>password</c>, and the password field is masked. (Its default, description and the required fields come
/// from the library itself, so every host's Swagger UI gets a form that logs in.)
/// </summary>
internal sealed class AdminTokenFormSchemaTransformer : IOpenApiSchemaTransformer
{
    private const string FormTypeName = "AdminTokenForm";

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type.Name != FormTypeName || schema.Properties is null)
        {
            return Task.CompletedTask;
        }

        if (schema.Properties.TryGetValue("grant_type", out var grant) && grant is OpenApiSchema grantType)
        {
            grantType.Enum = [JsonValue.Create("password")!];
        }

        if (schema.Properties.TryGetValue("password", out var password) && password is OpenApiSchema passwordSchema)
        {
            passwordSchema.Format = "password";
        }

        return Task.CompletedTask;
    }
}
