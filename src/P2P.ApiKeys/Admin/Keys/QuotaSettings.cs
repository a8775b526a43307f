using System.Text.Json;
using System.Text.Json.Serialization;
using P2P.ApiKeys.Management;
using P2P.ApiKeys.RateLimiting;

namespace P2P.ApiKeys.Admin.Keys;

/// <summary>
/// <c>"quota": {"limit": 100000, "period": "day" | "week" | "month", "anchor_day": 15 | "monday"}</c> in key requests and
/// responses: <c>anchor_day</c> is optional, a day of the month (1–28) for <c>month</c>, a weekday for <c>week</c>.
/// </summary>
public sealed class QuotaSettings
{
    /// <summary>The number of requests allowed in one period.</summary>
    [JsonPropertyName("limit")]
    public long? Limit { get; init; }

    /// <summary>The period: <c>day</c>, <c>week</c> or <c>month</c> (UTC).</summary>
    [JsonPropertyName("period")]
    public string? Period { get; init; }

    /// <summary>
    /// Where a period starts: for <c>month</c> a day of the month (1 to 28, default 1), for <c>week</c> a weekday
    /// (<c>"monday"</c>, the default, to <c>"sunday"</c>); absent for <c>day</c>.
    /// </summary>
    [JsonPropertyName("anchor_day")]
    public JsonElement? AnchorDay { get; init; }

    // The anchors as JSON values, made once (no reflection-based serialization).
    private static readonly JsonElement[] MonthAnchors = [.. Enumerable.Range(1, ApiKeyQuota.MaxMonthAnchorDay).Select(
        static day => JsonDocument.Parse(day.ToString(System.Globalization.CultureInfo.InvariantCulture)).RootElement.Clone())];

    private static readonly JsonElement[] WeekAnchors = [.. ApiKeyRules.Weekdays.Select(static name => JsonDocument.Parse("\"" + name + "\"").RootElement.Clone())];

    internal static QuotaSettings? From(ApiKeyQuota? quota) =>
        quota is null ? null : new()
        {
            Limit = quota.Limit,
            Period = AdminKeyUsage.PeriodName(quota.Period),
            AnchorDay = quota.Period switch
            {
                ApiKeyQuotaPeriod.Month => MonthAnchors[quota.AnchorDay - 1],
                ApiKeyQuotaPeriod.Week => WeekAnchors[quota.AnchorDay - 1],
                _ => null,
            },
        };

    /// <summary>Splits <see cref="AnchorDay"/> into a day number or a weekday name; <see langword="false"/> when it is neither.</summary>
    internal bool TryReadAnchor(out long? day, out string? weekday)
    {
        day = null;
        weekday = null;
        if (AnchorDay is not { } anchor || anchor.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (anchor.ValueKind == JsonValueKind.Number && anchor.TryGetInt64(out var number))
        {
            day = number;
            return true;
        }

        if (anchor.ValueKind == JsonValueKind.String)
        {
            weekday = anchor.GetString();
            return true;
        }

        return false;
    }
}
