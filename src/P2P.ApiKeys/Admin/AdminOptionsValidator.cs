using Microsoft.Extensions.Options;
using P2P.ApiKeys.Admin.Login;

namespace P2P.ApiKeys.Admin;

/// <summary>Checks <see cref="AdminOptions"/> at start-up, with messages that name the setting to fix.</summary>
internal sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        var failures = new List<string>();
        var token = options.Token;
        if (AdminSigningKey.Decode(token.SigningKey) is null)
        {
            failures.Add("AdminOptions.Token.SigningKey is missing or shorter than 256 bits. Configure a random key of at least 32 bytes " +
                "(for example the output of `openssl rand -base64 32`) from a secret store; only the Development environment generates one.");
        }

        if (string.IsNullOrWhiteSpace(token.Issuer))
        {
            failures.Add("AdminOptions.Token.Issuer must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(token.Audience))
        {
            failures.Add("AdminOptions.Token.Audience must not be empty.");
        }

        if (token.Lifetime < TimeSpan.FromMinutes(1) || token.Lifetime > TimeSpan.FromHours(24))
        {
            failures.Add("AdminOptions.Token.Lifetime must be between 1 minute and 24 hours.");
        }

        if (token.ClockSkew < TimeSpan.Zero || token.ClockSkew > TimeSpan.FromSeconds(30))
        {
            failures.Add("AdminOptions.Token.ClockSkew must be between 0 and 30 seconds.");
        }

        var password = options.Password;
        if (password.MinLength < 8)
        {
            failures.Add("AdminOptions.Password.MinLength must be at least 8.");
        }

        if (password.MaxLength < password.MinLength || password.MaxLength > 1024)
        {
            failures.Add("AdminOptions.Password.MaxLength must be at least Password.MinLength and at most 1024.");
        }

        if (password.HashIterations < AdminPasswordOptions.MinHashIterations)
        {
            failures.Add("AdminOptions.Password.HashIterations must be at least 220000.");
        }

        var lockout = options.Lockout;
        if (lockout.Threshold is < 1 or > 100)
        {
            failures.Add("AdminOptions.Lockout.Threshold must be between 1 and 100.");
        }

        if (lockout.BaseDelay <= TimeSpan.Zero || lockout.MaxDelay < lockout.BaseDelay)
        {
            failures.Add("AdminOptions.Lockout.BaseDelay must be positive and AdminOptions.Lockout.MaxDelay at least as long.");
        }

        var endpoints = options.Endpoints;
        if (endpoints.TokenPermitLimit < 1 || endpoints.TokenWindow <= TimeSpan.Zero)
        {
            failures.Add("AdminOptions.Endpoints.TokenPermitLimit must be at least 1 and AdminOptions.Endpoints.TokenWindow positive.");
        }

        if (endpoints.MaxRequestBodyBytes is < 1024 or > 1024 * 1024)
        {
            failures.Add("AdminOptions.Endpoints.MaxRequestBodyBytes must be between 1 KiB and 1 MiB.");
        }

        if (endpoints.MaxRotationGracePeriod < TimeSpan.Zero)
        {
            failures.Add("AdminOptions.Endpoints.MaxRotationGracePeriod must not be negative.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
