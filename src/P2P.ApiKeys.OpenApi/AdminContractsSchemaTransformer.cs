using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using P2P.ApiKeys.Admin;

namespace P2P.ApiKeys.OpenApi;

/// <summary>
/// What the admin contracts cannot say with attributes. The login form: <c>grant_type</c> may only be
/// <c>password</c>, and the password field is masked (its default, description and required fields come from
/// the contract itself). The create-key body: an example that works as is, because Swagger UI's "Try it out"
/// pre-fills the example, and without one it would send <c>"scopes": ["string"]</c> (a key no route accepts)
/// and <c>"expires_at"</c> = now (refused: not in the future).
/// </summary>
internal sealed class AdminContractsSchemaTransformer : IOpenApiSchemaTransformer
{
    /// <summary>The key name of the admin workflow (docs/admin-workflow.md, step 4).</summary>
    internal const string ExampleKeyName = "Streamlit App Key";

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(AdminTokenForm) && schema.Properties is not null)
        {
            if (schema.Properties.TryGetValue("grant_type", out var grant) && grant is OpenApiSchema grantType)
            {
                grantType.Enum = [JsonValue.Create("password")!];
            }

            if (schema.Properties.TryGetValue("password", out var password) && password is OpenApiSchema passwordSchema)
            {
                passwordSchema.Format = "password";
            }
        }
        else if (type == typeof(CreateApiKeyRequest))
        {
            // Name only: the key gets the host's default scopes and never expires, which is what the workflow's
            // client needs. Scopes and expiry stay documented by the schema itself.
            schema.Examples = [new JsonObject { ["name"] = ExampleKeyName }];
        }
        else if (type == typeof(RotateApiKeyRequest))
        {
            schema.Examples = [new JsonObject { ["grace_period_seconds"] = 0 }];
        }

        return Task.CompletedTask;
    }
}
