using Microsoft.Extensions.Options;

namespace P2P.ApiKeys.PostgreSql;

/// <summary>Checks <see cref="PostgreSqlChangeNotificationOptions"/> at start-up, with messages that say what to fix.</summary>
internal sealed class PostgreSqlChangeNotificationOptionsValidator : IValidateOptions<PostgreSqlChangeNotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgreSqlChangeNotificationOptions options)
    {
        var failures = new List<string>();
        if (!IsValidChannel(options.Channel))
        {
            failures.Add("PostgreSqlChangeNotificationOptions.Channel must be 1 to 63 characters: lower-case ASCII letters, digits and '_', not starting with a digit.");
        }

        if (options.ReconnectDelay <= TimeSpan.Zero)
        {
            failures.Add("PostgreSqlChangeNotificationOptions.ReconnectDelay must be positive.");
        }

        if (options.KeepAliveInterval <= TimeSpan.Zero)
        {
            failures.Add("PostgreSqlChangeNotificationOptions.KeepAliveInterval must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // Also what keeps the LISTEN statement, which cannot take a parameter, free of injection.
    internal static bool IsValidChannel(string? channel)
    {
        if (string.IsNullOrEmpty(channel) || channel.Length > 63 || char.IsAsciiDigit(channel[0]))
        {
            return false;
        }

        foreach (var c in channel)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
