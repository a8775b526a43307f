namespace AdminApi.Procurement;

/// <summary>A purchase order, with its supplier's name denormalised as the dashboard shows it.</summary>
public sealed record PurchaseOrder(
    int Id,
    string Number,
    int SupplierId,
    string SupplierName,
    DateOnly OrderDate,
    DateOnly ExpectedDate,
    PurchaseOrderStatus Status,
    decimal Amount,
    string Currency);
