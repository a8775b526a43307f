namespace AdminApi.Procurement;

/// <summary>A supplier the company buys from.</summary>
public sealed record Supplier(int Id, string Name, string Category, string Country, int PaymentTermsDays);
