using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using P2P.ApiKeys.Admin;
using P2P.ApiKeys.Admin.Users;

namespace P2P.ApiKeys.OpenApi;

/// <summary>
/// Adds the security requirement of each operation from its endpoint's authorization metadata, the same
/// metadata the authorization middleware reads: <see cref="IAllowAnonymous"/>, <see cref="IAuthorizeData"/>
/// (schemes, or a policy resolved through <see cref="IAuthorizationPolicyProvider"/>) and
/// <see cref="AuthorizationPolicy"/> objects. Anonymous endpoints get no requirement, unless they also name
/// schemes, which makes the credentials optional; so does a policy that anyone may meet while no admin exists
/// (the first-admin bootstrap of <c>POST /admin/users/</c>). No paths are hard-coded, so a route that changes protection
/// changes its documentation with it.
/// </summary>
/// <remarks>Authorization and authentication services are optional: without them only explicit schemes count.</remarks>
internal sealed class AuthorizationOperationTransformer(IServiceProvider services) : IOpenApiOperationTransformer
{
    private readonly IAuthorizationPolicyProvider? _policyProvider = services.GetService<IAuthorizationPolicyProvider>();
    private readonly IAuthenticationSchemeProvider? _schemeProvider = services.GetService<IAuthenticationSchemeProvider>();

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var anonymousAllowed = metadata.OfType<IAllowAnonymous>().Any();
        var authorizeData = metadata.OfType<IAuthorizeData>().ToArray();
        var policies = metadata.OfType<AuthorizationPolicy>().ToList();
        var requiresAuthorization = authorizeData.Length > 0 || policies.Count > 0 || metadata.OfType<IAuthorizationRequirementData>().Any();
        if (!requiresAuthorization)
        {
            return;
        }

        var authenticationSchemes = new HashSet<string>(StringComparer.Ordinal);
        var credentialsOptional = anonymousAllowed || metadata.OfType<AdminOrFirstAdminRequirement>().Any();
        foreach (var data in authorizeData)
        {
            AddSchemes(authenticationSchemes, data.AuthenticationSchemes?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            if (!string.IsNullOrEmpty(data.Policy) && _policyProvider is not null && await _policyProvider.GetPolicyAsync(data.Policy) is { } named)
            {
                policies.Add(named);
            }
        }

        foreach (var policy in policies)
        {
            AddSchemes(authenticationSchemes, policy.AuthenticationSchemes);
            credentialsOptional |= policy.Requirements.OfType<AdminOrFirstAdminRequirement>().Any();
        }

        if (authenticationSchemes.Count == 0 && !anonymousAllowed)
        {
            // Same fallbacks as the middleware: the default policy's schemes, then the default scheme.
            if (_policyProvider is not null)
            {
                AddSchemes(authenticationSchemes, (await _policyProvider.GetDefaultPolicyAsync()).AuthenticationSchemes);
            }

            if (authenticationSchemes.Count == 0 && _schemeProvider is not null && await _schemeProvider.GetDefaultAuthenticateSchemeAsync() is { } fallback)
            {
                authenticationSchemes.Add(fallback.Name);
            }
        }

        var documentSchemes = authenticationSchemes.SelectMany(ToDocumentSchemes).Distinct(StringComparer.Ordinal).ToArray();
        if (documentSchemes.Length == 0)
        {
            return;
        }

        // One requirement per scheme: the operation accepts any one of them. An endpoint that allows anonymous
        // calls but names schemes (e.g. the first-admin bootstrap, anonymous only until an admin exists) gets
        // an empty requirement first: credentials optional, so Swagger UI still sends a token it holds.
        operation.Security ??= [];
        if (credentialsOptional)
        {
            operation.Security.Add(new OpenApiSecurityRequirement());
        }

        foreach (var name in documentSchemes)
        {
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(name, context.Document)] = [],
            });
        }
    }

    private static void AddSchemes(HashSet<string> target, IEnumerable<string>? schemes)
    {
        foreach (var scheme in schemes ?? [])
        {
            target.Add(scheme);
        }
    }

    private static IEnumerable<string> ToDocumentSchemes(string authenticationScheme) => authenticationScheme switch
    {
        ApiKeyDefaults.AuthenticationScheme => [ApiKeyOpenApiSchemes.ApiKey],
        AdminDefaults.AuthenticationScheme => [ApiKeyOpenApiSchemes.Bearer],
        AdminDefaults.CredentialsScheme => [ApiKeyOpenApiSchemes.Bearer, ApiKeyOpenApiSchemes.ApiKey],
        _ => [],
    };
}
