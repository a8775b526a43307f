namespace AdminApi.Procurement;

/// <summary>The dashboard's headline KPIs.</summary>
/// <param name="TotalSpend">Sum of all payments.</param>
/// <param name="OverdueInvoices">Unpaid, not rejected invoices whose due date is before <paramref name="AsOf"/>.</param>
public sealed record ProcurementSummary(
    string Currency,
    DateOnly AsOf,
    decimal TotalSpend,
    int OpenPurchaseOrders,
    decimal OpenPurchaseOrderValue,
    int InvoicesAwaitingApproval,
    int OverdueInvoices,
    decimal OverdueAmount,
    double AverageDaysInvoiceToPayment);
