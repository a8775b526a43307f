using System.Globalization;
using P2P.ApiKeys.RateLimiting;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Management;

/// <summary>
/// The one place that judges key input: names, owners, scopes, expiries, metadata and limits. Messages name the limit, never
/// echo a secret. The field names are those of the admin API's JSON.
/// </summary>
internal sealed class ApiKeyRules(IReadOnlyCollection<string> knownScopes)
{
    public const string NameField = "name";
    public const string OwnerField = "owner";
    public const string ScopesField = "scopes";
    public const string ExpiresAtField = "expires_at";
    public const string MetadataField = "metadata";
    public const string GracePeriodField = "grace_period";
    public const string RateLimitField = "rate_limit";
    public const string QuotaField = "quota";

    private readonly HashSet<string> _known = new(knownScopes, StringComparer.Ordinal);

    /// <summary>
    /// True when <paramref name="value"/> holds a control, format (bidi overrides, zero-width) or line/paragraph
    /// separator character, or a lone surrogate: these can hide text in logs and dashboards.
    /// </summary>
    public static bool HasHiddenCharacters(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            switch (char.GetUnicodeCategory(value[i]))
            {
                case UnicodeCategory.Control:
                case UnicodeCategory.Format:
                case UnicodeCategory.LineSeparator:
                case UnicodeCategory.ParagraphSeparator:
                case UnicodeCategory.Surrogate:
                    return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="scope"/> is well-formed (known or not).</summary>
    public static bool IsWellFormedScope(string? scope) =>
        !string.IsNullOrEmpty(scope) && scope.Length <= ApiKeyRecord.MaxScopeLength && !scope.Any(char.IsWhiteSpace) && !HasHiddenCharacters(scope);

    public static void CheckName(string? name, Dictionary<string, string[]> errors)
    {
        if (name is null || name.Length is 0 or > ApiKeyRecord.MaxNameLength || string.IsNullOrWhiteSpace(name) || HasHiddenCharacters(name))
        {
            errors[NameField] = [$"name must be 1 to {ApiKeyRecord.MaxNameLength} characters, not blank, without control characters."];
        }
    }

    public static void CheckOwner(string? owner, Dictionary<string, string[]> errors)
    {
        if (owner is not null && (owner.Length is 0 or > ApiKeyRecord.MaxOwnerLength || string.IsNullOrWhiteSpace(owner) || HasHiddenCharacters(owner)))
        {
            errors[OwnerField] = [$"owner must be 1 to {ApiKeyRecord.MaxOwnerLength} characters, not blank, without control characters."];
        }
    }

    public static void CheckExpiry(DateTimeOffset? expiresAt, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        if (expiresAt is { } value && value <= now)
        {
            errors[ExpiresAtField] = ["expires_at must be in the future."];
        }
    }

    /// <summary>Checks and de-duplicates scopes (first occurrence kept).</summary>
    public List<string> CheckScopes(IEnumerable<string?> scopes, Dictionary<string, string[]> errors)
    {
        var result = new List<string>();
        foreach (var scope in scopes)
        {
            if (result.Count >= ApiKeyRecord.MaxScopes)
            {
                errors[ScopesField] = [$"At most {ApiKeyRecord.MaxScopes} scopes."];
                return result;
            }

            if (!IsWellFormedScope(scope))
            {
                errors[ScopesField] = [$"Each scope must be 1 to {ApiKeyRecord.MaxScopeLength} characters, without white space or control characters."];
                return result;
            }

            if (_known.Count > 0 && !_known.Contains(scope!))
            {
                // A well-formed scope is no secret; naming the known ones tells the caller what to send.
                errors[ScopesField] = [$"Unknown scope '{scope}'. Known scopes: {string.Join(", ", _known.Order(StringComparer.Ordinal))}."];
                return result;
            }

            if (!result.Contains(scope!, StringComparer.Ordinal))
            {
                result.Add(scope!);
            }
        }

        return result;
    }

    public static Dictionary<string, string> CheckMetadata(IReadOnlyDictionary<string, string>? metadata, Dictionary<string, string[]> errors)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (metadata is null)
        {
            return result;
        }

        if (metadata.Count > ApiKeyRecord.MaxMetadataEntries)
        {
            errors[MetadataField] = [$"At most {ApiKeyRecord.MaxMetadataEntries} metadata entries."];
            return result;
        }

        foreach (var (name, value) in metadata)
        {
            if (!IsMetadataName(name))
            {
                errors[MetadataField] = [$"Each metadata name must be 1 to {ApiKeyRecord.MaxMetadataNameLength} ASCII letters, digits, '_', '.', ':' or '-'."];
                return result;
            }

            if (value is null || value.Length > ApiKeyRecord.MaxMetadataValueLength || HasHiddenCharacters(value))
            {
                errors[MetadataField] = [$"Each metadata value must be at most {ApiKeyRecord.MaxMetadataValueLength} characters, without control characters."];
                return result;
            }

            result[name] = value;
        }

        return result;
    }

    /// <summary>
    /// A rate limit from its parts as a client sends them (<paramref name="limit"/> requests per
    /// <paramref name="windowSeconds"/> seconds); adds an error and returns <see langword="false"/> when one is missing or
    /// out of range.
    /// </summary>
    public static bool TryCreateRateLimit(long? limit, long? windowSeconds, Dictionary<string, string[]> errors, out ApiKeyRateLimit? rateLimit) =>
        TryCreateRateLimit(limit, windowSeconds, algorithm: null, burst: null, errors, out rateLimit);

    /// <summary>
    /// A rate limit with its algorithm (<c>fixed_window</c>, the default, or <c>gcra</c>) and, for GCRA, its burst (default:
    /// the limit); adds an error and returns <see langword="false"/> when a part is missing or invalid.
    /// </summary>
    public static bool TryCreateRateLimit(
        long? limit, long? windowSeconds, string? algorithm, long? burst, Dictionary<string, string[]> errors, out ApiKeyRateLimit? rateLimit)
    {
        rateLimit = null;
        ApiKeyRateLimitAlgorithm? parsed = algorithm switch
        {
            null or "fixed_window" => ApiKeyRateLimitAlgorithm.FixedWindow,
            "gcra" => ApiKeyRateLimitAlgorithm.Gcra,
            _ => null,
        };
        if (parsed is null)
        {
            errors[RateLimitField] = ["rate_limit.algorithm is \"fixed_window\" (the default) or \"gcra\"."];
            return false;
        }

        if (!TryCreateFixedRateLimit(limit, windowSeconds, errors, out var basic))
        {
            return false;
        }

        if (parsed == ApiKeyRateLimitAlgorithm.FixedWindow)
        {
            if (burst is not null)
            {
                errors[RateLimitField] = ["rate_limit.burst applies to the \"gcra\" algorithm only."];
                return false;
            }

            rateLimit = basic;
            return true;
        }

        if (!ApiKeyRateLimit.IsValid(basic!.Limit, basic.Window, ApiKeyRateLimitAlgorithm.Gcra, burst))
        {
            errors[RateLimitField] = [$"rate_limit.burst is 1 to {ApiKeyRateLimit.MaxLimit}, and burst × window_seconds × 1000 + limit at most 2^53."];
            return false;
        }

        rateLimit = new ApiKeyRateLimit(basic.Limit, basic.Window, ApiKeyRateLimitAlgorithm.Gcra, burst);
        return true;
    }

    private static bool TryCreateFixedRateLimit(long? limit, long? windowSeconds, Dictionary<string, string[]> errors, out ApiKeyRateLimit? rateLimit)
    {
        rateLimit = null;
        if (limit is not { } l || windowSeconds is not { } seconds
            || l is < 1 or > ApiKeyRateLimit.MaxLimit || seconds is < 1 or > ApiKeyRateLimit.MaxWindowSeconds)
        {
            errors[RateLimitField] = [$"rate_limit needs limit (1 to {ApiKeyRateLimit.MaxLimit}) and window_seconds (1 to {ApiKeyRateLimit.MaxWindowSeconds})."];
            return false;
        }

        rateLimit = new ApiKeyRateLimit(l, TimeSpan.FromSeconds(seconds));
        return true;
    }

    /// <summary>
    /// A quota from its parts as a client sends them (<paramref name="limit"/> requests per <paramref name="period"/>,
    /// <c>day</c> or <c>month</c>); adds an error and returns <see langword="false"/> when one is missing or invalid.
    /// </summary>
    public static bool TryCreateQuota(long? limit, string? period, Dictionary<string, string[]> errors, out ApiKeyQuota? quota) =>
        TryCreateQuota(limit, period, anchorDay: null, anchorWeekday: null, errors, out quota);

    /// <summary>The ISO weekday names <c>anchor_day</c> takes for a weekly quota, Monday (1) first.</summary>
    public static readonly string[] Weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    /// <summary>
    /// A quota with its period (<c>day</c>, <c>week</c> or <c>month</c>) and optional anchor: a day of the month 1–28
    /// (<paramref name="anchorDay"/>) for a month, a weekday name (<paramref name="anchorWeekday"/>) for a week, none
    /// for a day. Adds an error and returns <see langword="false"/> when a part is missing, invalid or of the wrong kind.
    /// </summary>
    public static bool TryCreateQuota(
        long? limit, string? period, long? anchorDay, string? anchorWeekday, Dictionary<string, string[]> errors, out ApiKeyQuota? quota)
    {
        quota = null;
        ApiKeyQuotaPeriod? parsed = period switch
        {
            "day" => ApiKeyQuotaPeriod.Day,
            "week" => ApiKeyQuotaPeriod.Week,
            "month" => ApiKeyQuotaPeriod.Month,
            _ => null,
        };
        if (limit is not { } l || l is < 1 or > ApiKeyQuota.MaxLimit || parsed is null)
        {
            errors[QuotaField] = [$"quota needs limit (1 to {ApiKeyQuota.MaxLimit}) and period (\"day\", \"week\" or \"month\", UTC)."];
            return false;
        }

        int anchor;
        switch (parsed.Value)
        {
            case ApiKeyQuotaPeriod.Day when anchorDay is null && anchorWeekday is null:
                anchor = 1;
                break;
            case ApiKeyQuotaPeriod.Month when anchorWeekday is null && anchorDay is null or (>= 1 and <= ApiKeyQuota.MaxMonthAnchorDay):
                anchor = (int)(anchorDay ?? 1);
                break;
            case ApiKeyQuotaPeriod.Week when anchorDay is null && (anchorWeekday is null || Array.IndexOf(Weekdays, anchorWeekday) >= 0):
                anchor = anchorWeekday is null ? 1 : Array.IndexOf(Weekdays, anchorWeekday) + 1;
                break;
            default:
                errors[QuotaField] = [$"quota.anchor_day is a day of the month (1 to {ApiKeyQuota.MaxMonthAnchorDay}) for \"month\", " +
                    "a weekday (\"monday\" to \"sunday\") for \"week\", and absent for \"day\"."];
                return false;
        }

        quota = new ApiKeyQuota(l, parsed.Value, anchor);
        return true;
    }

    /// <summary>A limit is either set or removed by one update, not both.</summary>
    public static void CheckLimitChange(ApiKeyUpdateRequest request, Dictionary<string, string[]> errors)
    {
        if (request.RemoveRateLimit && request.RateLimit is not null)
        {
            errors[RateLimitField] = ["Set a rate limit or remove it, not both."];
        }

        if (request.RemoveQuota && request.Quota is not null)
        {
            errors[QuotaField] = ["Set a quota or remove it, not both."];
        }
    }

    private static bool IsMetadataName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > ApiKeyRecord.MaxMetadataNameLength)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '.' or ':' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
