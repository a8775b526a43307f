namespace P2P.Dashboard.Charts;

/// <summary>One labelled value of a chart; <see cref="Display"/> is how the value reads to a person.</summary>
public sealed record ChartPoint(string Label, decimal Value, string Display);
