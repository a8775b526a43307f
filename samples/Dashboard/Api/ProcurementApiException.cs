namespace P2P.Dashboard.Api;

/// <summary>A failed call to the P2P API, classified so that a page can say what to do.</summary>
/// <remarks>The message never contains the key: it is built from the status code and the API's URL only.</remarks>
public sealed class ProcurementApiException : Exception
{
    public ProcurementApiException(ApiFailureKind kind, Uri apiBaseUrl, int? statusCode, string message, Exception? inner = null, TimeSpan? retryAfter = null)
        : base(message, inner)
    {
        Kind = kind;
        ApiBaseUrl = apiBaseUrl;
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    public ApiFailureKind Kind { get; }

    public Uri ApiBaseUrl { get; }

    public int? StatusCode { get; }

    /// <summary>For <see cref="ApiFailureKind.RateLimited"/>: how long until the API admits the key again (its <c>Retry-After</c>).</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>
    /// For a 400: the API's own reasons (the messages of its validation problem, or its <c>detail</c>), to show as
    /// they are. Empty when the answer held none.
    /// </summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>
    /// For a 429: the policies the API names in <c>violated-policies</c> (<c>rate</c>, <c>quota</c> for the key's own;
    /// <c>owner_rate</c>, <c>owner_quota</c> for the budget the key's owner shares with its other keys). Empty when none.
    /// </summary>
    public IReadOnlyList<string> ViolatedPolicies { get; init; } = [];

    /// <summary>Whether the 429 came from the owner's shared budget rather than the key's own.</summary>
    public bool OwnerBudgetExhausted => ViolatedPolicies.Any(p => p.StartsWith("owner_", StringComparison.Ordinal));
}
