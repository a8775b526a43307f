using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Admin;
using P2P.ApiKeys.Admin.Audit;
using P2P.ApiKeys.Admin.Keys;
using P2P.ApiKeys.Admin.Login;
using P2P.ApiKeys.Admin.Users;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys;

/// <summary>Adds the admin endpoints' services to an <see cref="ApiKeyAuthBuilder"/>.</summary>
public static class AdminApiKeyAuthBuilderExtensions
{
    /// <summary>
    /// Adds what <c>MapAdminEndpoints</c> needs: the <see cref="AdminDefaults.AuthenticationScheme"/> JWT bearer scheme, the
    /// per-permission policies that also accept an API key with admin permissions (<see cref="AdminPermissions"/>), ASP.NET
    /// Core Identity's password hasher at <see cref="AdminPasswordOptions.HashIterations"/> PBKDF2-HMAC-SHA512 iterations, the
    /// admin-user manager, login throttling and the audit trail. <see cref="AdminOptions"/> are validated at start-up. Safe to
    /// call twice.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddApiKeyAuth</c>.</param>
    /// <returns>The same builder.</returns>
    public static ApiKeyAuthBuilder AddAdminEndpoints(this ApiKeyAuthBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddServices(builder.Services);
        return builder;
    }

    /// <summary>As <see cref="AddAdminEndpoints(ApiKeyAuthBuilder)"/>, with <see cref="AdminOptions"/> set by <paramref name="configure"/>.</summary>
    /// <param name="builder">The builder returned by <c>AddApiKeyAuth</c>.</param>
    /// <param name="configure">Sets <see cref="AdminOptions"/>; at least <see cref="AdminTokenOptions.SigningKey"/> outside Development.</param>
    /// <returns>The same builder.</returns>
    public static ApiKeyAuthBuilder AddAdminEndpoints(this ApiKeyAuthBuilder builder, Action<AdminOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<AdminOptions>().Configure(configure);
        return builder.AddAdminEndpoints();
    }

    /// <summary>
    /// Adds the admin endpoints' services (see <see cref="AddAdminEndpoints(ApiKeyAuthBuilder)"/>) with
    /// <see cref="AdminOptions"/> bound from <paramref name="configuration"/>: its sections <c>Token</c>, <c>Password</c>,
    /// <c>Lockout</c> and <c>Endpoints</c> (for example <c>Admin:Token:SigningKey</c>, <c>Admin__Token__SigningKey</c> in the
    /// environment).
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddApiKeyAuth</c>.</param>
    /// <param name="configuration">The admin section, for example <c>builder.Configuration.GetSection("Admin")</c>.</param>
    /// <returns>The same builder.</returns>
    public static ApiKeyAuthBuilder AddAdminEndpoints(this ApiKeyAuthBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<AdminOptions>().Bind(configuration);
        return builder.AddAdminEndpoints();
    }

    /// <summary>
    /// As <see cref="AddAdminEndpoints(ApiKeyAuthBuilder, IConfiguration)"/>, then <paramref name="configure"/> sets what the
    /// configuration does not (for example a signing key from a secret store).
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddApiKeyAuth</c>.</param>
    /// <param name="configuration">The admin section, for example <c>builder.Configuration.GetSection("Admin")</c>.</param>
    /// <param name="configure">Runs after the configuration is bound.</param>
    /// <returns>The same builder.</returns>
    public static ApiKeyAuthBuilder AddAdminEndpoints(this ApiKeyAuthBuilder builder, IConfiguration configuration, Action<AdminOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddAdminEndpoints(configuration).AddAdminEndpoints(configure);
    }

    private static void AddServices(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(AdminEndpoints)))
        {
            return;
        }

        services.AddOptions<AdminOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<AdminOptions>, AdminDevelopmentSigningKey>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<ApiKeyOptions>, AdminKnownScopes>());
        services.TryAddSingleton<AdminEndpoints>();
        services.TryAddSingleton<AdminSigningKey>();
        services.TryAddSingleton<AdminTokenIssuer>();
        services.TryAddSingleton<AdminTokenRateLimiter>();
        services.TryAddSingleton<AdminAuditTrail>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Hosting.IStartupFilter, AdminResponseHeaders>());
        services.TryAddSingleton<AdminLoginThrottle>();
        services.TryAddSingleton<AdminUserManager>();
        services.TryAddSingleton<AdminLoginRefusals>();
        services.TryAddSingleton<AdminLogin>();
        services.TryAddSingleton<AdminKeyUsage>();
        services.TryAddSingleton<AdminKeyService>();
        services.TryAddSingleton<AdminOwnerService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, AdminOrFirstAdminHandler>());

        // A hasher of our own rather than Identity's shared PasswordHasherOptions, so that the host's other Identity
        // users keep their settings and admin hashes never fall below the floor.
        services.TryAddSingleton<IPasswordHasher<AdminUser>>(sp => new PasswordHasher<AdminUser>(Options.Create(new PasswordHasherOptions
        {
            CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
            IterationCount = Math.Max(AdminPasswordOptions.MinHashIterations, sp.GetRequiredService<IOptions<AdminOptions>>().Value.Password.HashIterations),
        })));

        services.AddAuthentication().AddJwtBearer(AdminDefaults.AuthenticationScheme, _ => { });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<JwtBearerOptions>, AdminJwtBearerSetup>());
        AdminAuthorization.Add(services);
    }
}
