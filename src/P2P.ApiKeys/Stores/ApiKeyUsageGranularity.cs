namespace P2P.ApiKeys.Stores;

/// <summary>The span of one usage bucket (<see cref="ApiKeyUsageRecord"/>): UTC hours or UTC days.</summary>
public enum ApiKeyUsageGranularity
{
    /// <summary>One UTC hour, starting on the hour.</summary>
    Hour = 0,

    /// <summary>One UTC day, starting at midnight UTC.</summary>
    Day = 1,
}
