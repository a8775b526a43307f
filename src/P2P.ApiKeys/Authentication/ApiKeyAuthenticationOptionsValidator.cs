using Microsoft.Extensions.Options;

namespace P2P.ApiKeys.Authentication;

/// <summary>Checks <see cref="ApiKeyAuthenticationOptions"/> at start-up, with messages that say what to fix.</summary>
internal sealed class ApiKeyAuthenticationOptionsValidator : IValidateOptions<ApiKeyAuthenticationOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiKeyAuthenticationOptions options)
    {
        var failures = new List<string>();
        if (!IsToken(options.HeaderName))
        {
            failures.Add($"ApiKeyAuthenticationOptions.HeaderName of scheme '{name}' must be a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~, no spaces or colons), for example \"{ApiKeyDefaults.HeaderName}\".");
        }
        else if (string.Equals(options.HeaderName, "Authorization", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"ApiKeyAuthenticationOptions.HeaderName of scheme '{name}' must not be \"Authorization\"; set AllowAuthorizationHeader to accept \"Authorization: ApiKey <key>\" instead.");
        }

        if (options.QueryParameterName is { } query && (query.Length == 0 || query.Length > 100 || query.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '&' or '=' or '#' or '?')))
        {
            failures.Add($"ApiKeyAuthenticationOptions.QueryParameterName of scheme '{name}' must be null (keys in the query string refused, the default) or a non-empty parameter name without white space or any of &=#?.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // RFC 9110 section 5.6.2: token = 1*tchar.
    private static bool IsToken(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 100)
        {
            return false;
        }

        foreach (var c in value)
        {
            var ok = c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
                or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
