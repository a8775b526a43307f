namespace P2P.Dashboard.Charts;

/// <summary>
/// One labelled value of a chart; <see cref="Display"/> is how the value reads to a person (the exact amount, in the
/// data table and the tooltip), <see cref="OnChart"/> what is written on the chart itself where space is short.
/// </summary>
public sealed record ChartPoint(string Label, decimal Value, string Display, string? OnChart = null);
