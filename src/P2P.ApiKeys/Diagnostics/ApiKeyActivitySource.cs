using System.Diagnostics;

namespace P2P.ApiKeys.Diagnostics;

/// <summary>
/// The <c>P2P.ApiKeys</c> activity source and the names of its spans and attributes. Spans exist only where there
/// is I/O or a decision worth seeing: a store lookup on a cache miss, a manager change. Never on the cached path,
/// and never a key, secret or hash in an attribute: key ids and public lookup ids only.
/// </summary>
/// <remarks>
/// <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns <see langword="null"/> without allocating
/// when no listener samples the source, so callers set attributes only on a non-null activity.
/// </remarks>
internal static class ApiKeyActivitySource
{
    public static readonly ActivitySource Instance = new(ApiKeyDiagnostics.ActivitySourceName, typeof(ApiKeyActivitySource).Assembly.GetName().Version?.ToString(3));

    // Span names: low cardinality, no ids.
    public const string StoreLookup = "p2p.api_key.store.lookup";
    public const string Create = "p2p.api_key.create";
    public const string Update = "p2p.api_key.update";
    public const string Revoke = "p2p.api_key.revoke";
    public const string Rotate = "p2p.api_key.rotate";

    // Attributes without an OpenTelemetry semantic convention of their own.
    public const string KeyIdAttribute = "p2p.api_key.id";
    public const string LookupIdAttribute = "p2p.api_key.lookup_id";
    public const string ReplacementIdAttribute = "p2p.api_key.replacement_id";
    public const string OutcomeAttribute = "p2p.api_key.outcome";

    /// <summary>The semantic-convention attribute for the class of a failure (an exception type or a fixed outcome name).</summary>
    public const string ErrorTypeAttribute = "error.type";

    /// <summary>Marks <paramref name="activity"/> as failed with <c>error.type</c> (semantic conventions: status Error plus the type, no message).</summary>
    public static void SetFailure(Activity activity, string errorType)
    {
        activity.SetStatus(ActivityStatusCode.Error);
        activity.SetTag(ErrorTypeAttribute, errorType);
    }
}
