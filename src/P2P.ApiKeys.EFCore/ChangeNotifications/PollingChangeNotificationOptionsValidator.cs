using Microsoft.Extensions.Options;

namespace P2P.ApiKeys.EFCore.ChangeNotifications;

/// <summary>Checks <see cref="PollingChangeNotificationOptions"/> at start-up, with messages that say what to fix.</summary>
internal sealed class PollingChangeNotificationOptionsValidator : IValidateOptions<PollingChangeNotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, PollingChangeNotificationOptions options)
    {
        var failures = new List<string>();
        if (options.PollInterval <= TimeSpan.Zero)
        {
            failures.Add("PollingChangeNotificationOptions.PollInterval must be positive.");
        }

        if (options.Lookback < TimeSpan.Zero)
        {
            failures.Add("PollingChangeNotificationOptions.Lookback must not be negative.");
        }

        if (options.Retention <= options.Lookback || options.Retention <= options.PollInterval)
        {
            failures.Add("PollingChangeNotificationOptions.Retention must be longer than Lookback and PollInterval.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
