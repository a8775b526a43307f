namespace AdminApi.Procurement;

/// <summary>A payment that settles one invoice.</summary>
public sealed record Payment(
    int Id,
    int InvoiceId,
    string InvoiceNumber,
    int SupplierId,
    string SupplierName,
    DateOnly PaymentDate,
    decimal Amount,
    PaymentMethod Method,
    string Currency);
