namespace AdminApi.Procurement;

/// <summary>Total payments in one calendar month (<c>yyyy-MM</c>).</summary>
public sealed record MonthlySpend(string Month, decimal Spend);
