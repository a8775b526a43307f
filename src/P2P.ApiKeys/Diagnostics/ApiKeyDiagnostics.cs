namespace P2P.ApiKeys.Diagnostics;

/// <summary>
/// The names to subscribe to: one <see cref="System.Diagnostics.Metrics.Meter"/> and one
/// <see cref="System.Diagnostics.ActivitySource"/>, both <c>P2P.ApiKeys</c>, shared by every P2P.ApiKeys package.
/// With OpenTelemetry: <c>.WithMetrics(m =&gt; m.AddMeter(ApiKeyDiagnostics.MeterName))</c> and
/// <c>.WithTracing(t =&gt; t.AddSource(ApiKeyDiagnostics.ActivitySourceName))</c>. docs/observability.md lists every
/// instrument, span and attribute.
/// </summary>
public static class ApiKeyDiagnostics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "P2P.ApiKeys";

    /// <summary>The activity source's name.</summary>
    public const string ActivitySourceName = "P2P.ApiKeys";
}
