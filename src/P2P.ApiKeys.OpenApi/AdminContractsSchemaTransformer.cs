using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using P2P.ApiKeys.Admin;
using P2P.ApiKeys.Admin.Keys;
using P2P.ApiKeys.Admin.Login;
using P2P.ApiKeys.Admin.Users;
using P2P.ApiKeys.Usage;

namespace P2P.ApiKeys.OpenApi;

/// <summary>
/// What the admin contracts cannot say with attributes. The login form: <c>grant_type</c> may only be <c>password</c>, and
/// the password field is masked. Every request body: an example that works as is, because Swagger UI's "Try it out"
/// pre-fills the example, and the body it would generate from the schema alone fails or does harm — a password that breaks
/// the rules, <c>"scopes": ["string"]</c>, <c>"expires_at"</c> = now, <c>"enabled": true</c> on every change, a rotation
/// grace period of 0 that cuts the old key's clients off at once.
/// </summary>
internal sealed class AdminContractsSchemaTransformer : IOpenApiSchemaTransformer
{
    /// <summary>The key name of the admin workflow (docs/admin-workflow.md, step 4).</summary>
    internal const string ExampleKeyName = "Streamlit App Key";

    /// <summary>A password that meets the rules and says what to do with it.</summary>
    internal const string ExamplePassword = "replace this with a long pass phrase";

    /// <summary>An hour: long enough for a client to pick up its new key.</summary>
    internal const int ExampleGracePeriodSeconds = 3600;

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
        else if (type == typeof(UpdateApiKeyRequest))
        {
            // Only what it changes: no enabled, no scopes, no limits (absent keeps them).
            schema.Examples = [new JsonObject { ["name"] = ExampleKeyName }];
        }
        else if (type == typeof(UpdateOwnerRequest))
        {
            // A monthly quota shared by all of the owner's keys; the rate limit stays as it is.
            schema.Examples = [new JsonObject { ["quota"] = new JsonObject { ["limit"] = 100000, ["period"] = "month" } }];
        }
        else if (type == typeof(RotateApiKeyRequest))
        {
            schema.Examples = [new JsonObject { ["grace_period_seconds"] = ExampleGracePeriodSeconds }];
        }
        else if (type == typeof(CreateAdminRequest))
        {
            schema.Examples = [new JsonObject { ["username"] = "admin", ["password"] = ExamplePassword }];
        }
        else if (type == typeof(ChangePasswordRequest))
        {
            schema.Examples = [new JsonObject { ["current_password"] = ExamplePassword, ["new_password"] = "replace this with another long pass phrase" }];
        }

        else if (type == typeof(ApiKeyUsageReport))
        {
            schema.Examples = [UsageExample()];
        }
        else if (type == typeof(ApiKeyOwnerUsageReport))
        {
            var key = UsageExample();
            schema.Examples =
            [
                new JsonObject
                {
                    ["owner"] = "admin",
                    ["granularity"] = "hour",
                    ["from"] = "2026-03-01T00:00:00+00:00",
                    ["to"] = "2026-03-01T02:00:00+00:00",
                    ["keys"] = new JsonArray(key),
                    ["total"] = Bucket("2026-03-01T00:00:00+00:00", 2043, 12, 0, 3, 41, 7),
                },
            ];
        }

        return Task.CompletedTask;
    }

    /// <summary>A key still tried after its rotation: the refused requests are a client that never switched.</summary>
    private static JsonObject UsageExample() => new()
    {
        ["key_id"] = "0199a3c2-7d1e-7c3a-9f0e-2b4c6d8e0f12",
        ["granularity"] = "hour",
        ["from"] = "2026-03-01T00:00:00+00:00",
        ["to"] = "2026-03-01T02:00:00+00:00",
        ["buckets"] = new JsonArray(
            Bucket("2026-03-01T00:00:00+00:00", 1210, 12, 0, 1, 0, 5),
            Bucket("2026-03-01T01:00:00+00:00", 833, 0, 0, 2, 41, 6)),
        ["total"] = Bucket("2026-03-01T00:00:00+00:00", 2043, 12, 0, 3, 41, 7),
    };

    private static JsonObject Bucket(string start, long allowed, long rateLimited, long quotaExhausted, long forbidden, long refused, long clients) => new()
    {
        ["start"] = start,
        ["allowed"] = allowed,
        ["rate_limited"] = rateLimited,
        ["quota_exhausted"] = quotaExhausted,
        ["forbidden"] = forbidden,
        ["refused"] = refused,
        ["clients"] = clients,
    };
}
