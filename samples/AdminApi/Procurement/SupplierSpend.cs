namespace AdminApi.Procurement;

/// <summary>Total payments to one supplier.</summary>
public sealed record SupplierSpend(int SupplierId, string SupplierName, decimal Spend);
