using Microsoft.Extensions.Options;

namespace P2P.ApiKeys.HealthChecks;

/// <summary>Rejects settings that would make the checks meaningless, with a message that says what to fix.</summary>
internal sealed class ApiKeyHealthCheckOptionsValidator : IValidateOptions<ApiKeyHealthCheckOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiKeyHealthCheckOptions options)
    {
        var failures = new List<string>();
        if (options.NotifierHeartbeatTimeout <= TimeSpan.Zero)
        {
            failures.Add($"ApiKeyHealthCheckOptions.NotifierHeartbeatTimeout must be positive, not {options.NotifierHeartbeatTimeout}.");
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            failures.Add($"ApiKeyHealthCheckOptions.Timeout must be positive, not {options.Timeout}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
