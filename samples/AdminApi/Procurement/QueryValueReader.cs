using System.Globalization;

namespace AdminApi.Procurement;

/// <summary>
/// Reads raw query-string values and collects one message per bad parameter, so that every bad value becomes
/// a 400 ValidationProblem with an <c>errors</c> dictionary instead of a framework binding failure (an empty
/// 400) or an exception (a 500).
/// </summary>
/// <remarks>
/// The values are bound as strings on purpose: typed binding would reject <c>pageSize=abc</c> before our code
/// runs, without saying which parameter was wrong. An empty value counts as "not given". Messages never echo
/// the raw value back.
/// </remarks>
internal sealed class QueryValueReader
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public bool HasErrors => _errors.Count > 0;

    public Dictionary<string, string[]> Errors => _errors;

    public int Integer(string name, string? raw, int defaultValue, int min, int max)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return defaultValue;
        }

        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            Add(name, max == int.MaxValue
                ? $"'{name}' must be a whole number of at least {min}."
                : $"'{name}' must be a whole number from {min} to {max}.");
            return defaultValue;
        }

        return value;
    }

    public int? OptionalId(string name, string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
        {
            Add(name, $"'{name}' must be a positive whole number.");
            return null;
        }

        return value;
    }

    public DateOnly? Date(string name, string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        if (!DateOnly.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            Add(name, $"'{name}' must be a date in the form yyyy-MM-dd.");
            return null;
        }

        return value;
    }

    public void DateRange(string fromName, DateOnly? from, string toName, DateOnly? to)
    {
        if (from > to)
        {
            Add(fromName, $"'{fromName}' must not be after '{toName}'.");
        }
    }

    public bool? Boolean(string name, string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        if (string.Equals(raw, "true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (string.Equals(raw, "false", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Add(name, $"'{name}' must be 'true' or 'false'.");
        return null;
    }

    /// <summary>One of <paramref name="allowed"/> (case-insensitive), returned in its canonical spelling.</summary>
    public string Choice(string name, string? raw, string defaultValue, IReadOnlyList<string> allowed)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return defaultValue;
        }

        foreach (var candidate in allowed)
        {
            if (string.Equals(candidate, raw, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        Add(name, $"'{name}' must be one of: {string.Join(", ", allowed)}.");
        return defaultValue;
    }

    public TEnum? Enum<TEnum>(string name, string? raw)
        where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        // Enum.TryParse alone would also accept numbers such as "7"; only the documented names are allowed.
        foreach (var value in System.Enum.GetValues<TEnum>())
        {
            if (string.Equals(value.ToString(), raw, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        Add(name, $"'{name}' must be one of: {string.Join(", ", System.Enum.GetNames<TEnum>())}.");
        return null;
    }

    public string? Text(string name, string? raw, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        if (raw.Length > maxLength)
        {
            Add(name, $"'{name}' must be at most {maxLength} characters.");
            return null;
        }

        return raw.Trim();
    }

    private void Add(string name, string message) => _errors[name] = [message];
}
