using Microsoft.Extensions.Options;

namespace P2P.ApiKeys.Admin;

/// <summary>Checks <see cref="AdminOptions"/> at start-up, with messages that name the setting to fix.</summary>
internal sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        var failures = new List<string>();
        if (AdminSigningKey.Decode(options.SigningKey) is null)
        {
            failures.Add("AdminOptions.SigningKey is missing or shorter than 256 bits. Configure a random key of at least 32 bytes " +
                "(for example the output of `openssl rand -base64 32`) from a secret store; only the Development environment generates one.");
        }

        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            failures.Add("AdminOptions.Issuer must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add("AdminOptions.Audience must not be empty.");
        }

        if (options.TokenLifetime < TimeSpan.FromMinutes(1) || options.TokenLifetime > TimeSpan.FromHours(24))
        {
            failures.Add("AdminOptions.TokenLifetime must be between 1 minute and 24 hours.");
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > TimeSpan.FromSeconds(30))
        {
            failures.Add("AdminOptions.ClockSkew must be between 0 and 30 seconds.");
        }

        if (options.MinPasswordLength < 8)
        {
            failures.Add("AdminOptions.MinPasswordLength must be at least 8.");
        }

        if (options.MaxPasswordLength < options.MinPasswordLength || options.MaxPasswordLength > 1024)
        {
            failures.Add("AdminOptions.MaxPasswordLength must be at least MinPasswordLength and at most 1024.");
        }

        if (options.PasswordHashIterations < AdminOptions.MinPasswordHashIterations)
        {
            failures.Add("AdminOptions.PasswordHashIterations must be at least 220000.");
        }

        if (options.LockoutThreshold is < 1 or > 100)
        {
            failures.Add("AdminOptions.LockoutThreshold must be between 1 and 100.");
        }

        if (options.LockoutBaseDelay <= TimeSpan.Zero || options.LockoutMaxDelay < options.LockoutBaseDelay)
        {
            failures.Add("AdminOptions.LockoutBaseDelay must be positive and AdminOptions.LockoutMaxDelay at least as long.");
        }

        if (options.TokenEndpointPermitLimit < 1 || options.TokenEndpointWindow <= TimeSpan.Zero)
        {
            failures.Add("AdminOptions.TokenEndpointPermitLimit must be at least 1 and AdminOptions.TokenEndpointWindow positive.");
        }

        if (options.MaxRequestBodyBytes is < 1024 or > 1024 * 1024)
        {
            failures.Add("AdminOptions.MaxRequestBodyBytes must be between 1 KiB and 1 MiB.");
        }

        if (options.MaxRotationGracePeriod < TimeSpan.Zero)
        {
            failures.Add("AdminOptions.MaxRotationGracePeriod must not be negative.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
