using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Admin;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys;

/// <summary>Adds the admin endpoints' services to an <see cref="ApiKeyAuthBuilder"/>.</summary>
public static class AdminApiKeyAuthBuilderExtensions
{
    /// <summary>
    /// Adds what <c>MapAdminEndpoints</c> needs: the <see cref="AdminDefaults.AuthenticationScheme"/> JWT bearer scheme,
    /// the <see cref="AdminDefaults.AuthorizationPolicy"/> policy, ASP.NET Core Identity's password hasher at
    /// <see cref="AdminOptions.PasswordHashIterations"/> PBKDF2-HMAC-SHA512 iterations, login throttling and the
    /// audit trail. <see cref="AdminOptions"/> are validated at start-up. Safe to call twice.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddApiKeyAuth</c>.</param>
    /// <param name="configure">Sets <see cref="AdminOptions"/>; at least <see cref="AdminOptions.SigningKey"/> outside Development.</param>
    /// <returns>The same builder.</returns>
    public static ApiKeyAuthBuilder AddAdminEndpoints(this ApiKeyAuthBuilder builder, Action<AdminOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<AdminOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(AdminEndpoints)))
        {
            return builder;
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<AdminOptions>, AdminDevelopmentSigningKey>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>());
        services.TryAddSingleton<AdminEndpoints>();
        services.TryAddSingleton<AdminClock>();
        services.TryAddSingleton<AdminSigningKey>();
        services.TryAddSingleton<AdminTokenIssuer>();
        services.TryAddSingleton<AdminPasswordPolicy>();
        services.TryAddSingleton<AdminTokenRateLimiter>();
        services.TryAddSingleton<AdminAuditTrail>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Hosting.IStartupFilter, AdminResponseHeaders>());
        services.TryAddSingleton<AdminLoginThrottle>();
        services.TryAddSingleton<AdminLoginRefusals>();
        services.TryAddSingleton<AdminLogin>();
        services.TryAddSingleton<AdminKeyService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, AdminOrFirstAdminHandler>());

        // A hasher of our own rather than Identity's shared PasswordHasherOptions, so that the host's other Identity
        // users keep their settings and admin hashes never fall below the floor.
        services.TryAddSingleton<IPasswordHasher<AdminUser>>(sp => new PasswordHasher<AdminUser>(Options.Create(new PasswordHasherOptions
        {
            CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
            IterationCount = Math.Max(AdminOptions.MinPasswordHashIterations, sp.GetRequiredService<IOptions<AdminOptions>>().Value.PasswordHashIterations),
        })));

        services.AddAuthentication().AddJwtBearer(AdminDefaults.AuthenticationScheme, _ => { });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<JwtBearerOptions>, AdminJwtBearerSetup>());
        services.AddAuthorizationBuilder().AddPolicy(AdminDefaults.AuthorizationPolicy, policy => policy
            .AddAuthenticationSchemes(AdminDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser())
            .AddPolicy(AdminOrFirstAdminRequirement.PolicyName, policy => policy
            .AddAuthenticationSchemes(AdminDefaults.AuthenticationScheme)
            .AddRequirements(new AdminOrFirstAdminRequirement()));
        return builder;
    }
}
