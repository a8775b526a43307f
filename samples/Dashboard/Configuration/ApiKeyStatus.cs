namespace P2P.Dashboard.Configuration;

/// <summary>What the dashboard can tell about <c>API_KEY</c> without calling the API.</summary>
public enum ApiKeyStatus
{
    /// <summary>No <c>API_KEY</c> in the environment or in a <c>.env</c> file.</summary>
    Missing,

    /// <summary>Present, but obviously not an API key of this system (wrong prefix, spaces, too short).</summary>
    Malformed,

    /// <summary>Present and shaped like a key; only the API can say whether it is valid.</summary>
    Present,
}
