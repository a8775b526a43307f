using System.Text.Json.Serialization;

namespace P2P.ApiKeys.Stores;

/// <summary>The span of one usage bucket (<see cref="ApiKeyUsageRecord"/>): UTC hours or UTC days. In JSON: <c>hour</c> or <c>day</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApiKeyUsageGranularity>))]
public enum ApiKeyUsageGranularity
{
    /// <summary>One UTC hour, starting on the hour.</summary>
    [JsonStringEnumMemberName("hour")]
    Hour = 0,

    /// <summary>One UTC day, starting at midnight UTC.</summary>
    [JsonStringEnumMemberName("day")]
    Day = 1,
}
