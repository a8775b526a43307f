namespace AdminApi.Procurement;

/// <summary>A supplier invoice against one purchase order.</summary>
/// <param name="DaysOverdue">Days past the due date as of the data set's date when unpaid and not rejected; otherwise 0.</param>
public sealed record Invoice(
    int Id,
    string Number,
    int PurchaseOrderId,
    string PurchaseOrderNumber,
    int SupplierId,
    string SupplierName,
    DateOnly InvoiceDate,
    DateOnly DueDate,
    InvoiceStatus Status,
    decimal Amount,
    DateOnly? PaidDate,
    int DaysOverdue,
    string Currency);
