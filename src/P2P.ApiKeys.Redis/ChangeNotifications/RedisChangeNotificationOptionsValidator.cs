using Microsoft.Extensions.Options;

namespace P2P.ApiKeys.Redis;

/// <summary>Checks <see cref="RedisChangeNotificationOptions"/> at start-up, with messages that say what to fix.</summary>
internal sealed class RedisChangeNotificationOptionsValidator : IValidateOptions<RedisChangeNotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisChangeNotificationOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Channel) || options.Channel.Length > 256 || options.Channel.Any(char.IsWhiteSpace)
            || options.Channel.Contains('*', StringComparison.Ordinal))
        {
            failures.Add("RedisChangeNotificationOptions.Channel must be 1 to 256 characters, without white space or '*'.");
        }

        if (options.RetryInterval <= TimeSpan.Zero)
        {
            failures.Add("RedisChangeNotificationOptions.RetryInterval must be positive.");
        }

        if (options.KeepAliveInterval <= TimeSpan.Zero)
        {
            failures.Add("RedisChangeNotificationOptions.KeepAliveInterval must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
