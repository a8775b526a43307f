using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AdminApi.OpenApi;

/// <summary>
/// Makes the <c>POST /admin/token</c> form usable from Swagger UI's "Try it out": <c>grant_type</c> may only be
/// <c>password</c> (Swagger UI would otherwise prefill the literal "string" and the login would fail with 400),
/// username and password are required, and the password field is masked.
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
            grantType.Default = JsonValue.Create("password");
            grantType.Enum = [JsonValue.Create("password")!];
            grantType.Description = "Optional; if sent, it must be 'password' (OAuth2 password grant).";
        }

        if (schema.Properties.TryGetValue("password", out var password) && password is OpenApiSchema passwordSchema)
        {
            passwordSchema.Format = "password";
        }

        schema.Required = new HashSet<string>(StringComparer.Ordinal) { "username", "password" };
        return Task.CompletedTask;
    }
}
