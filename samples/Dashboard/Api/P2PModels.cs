namespace P2P.Dashboard.Api;

// The shapes of docs/p2p-api.md, read with snake_case names (see ProcurementApiClient).
// One file on purpose: they are plain data and read best side by side with the contract.

public sealed record P2PSummary(
    string Currency,
    DateOnly AsOf,
    decimal TotalSpend,
    int OpenPurchaseOrders,
    decimal OpenPurchaseOrderValue,
    int InvoicesAwaitingApproval,
    int OverdueInvoices,
    decimal OverdueAmount,
    double? AverageDaysInvoiceToPayment);

public sealed record SupplierSpend(int SupplierId, string SupplierName, decimal Spend);

/// <summary>One month of spend; <see cref="Month"/> is <c>yyyy-MM</c>.</summary>
public sealed record MonthlySpend(string Month, decimal Spend);

public sealed record AgingBucket(string Bucket, int Count, decimal Amount);

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total) : IPagedResult
{
    public int PageCount => PageSize <= 0 ? 0 : (int)Math.Ceiling(Total / (double)PageSize);
}

public sealed record Supplier(int Id, string Name, string? Category, string? Country, int PaymentTermsDays);

public sealed record PurchaseOrder(
    int Id,
    string Number,
    int SupplierId,
    string SupplierName,
    DateOnly OrderDate,
    DateOnly? ExpectedDate,
    string Status,
    decimal Amount,
    string Currency);

public sealed record Invoice(
    int Id,
    string Number,
    int? PurchaseOrderId,
    string? PurchaseOrderNumber,
    int SupplierId,
    string SupplierName,
    DateOnly InvoiceDate,
    DateOnly DueDate,
    string Status,
    decimal Amount,
    DateOnly? PaidDate,
    int? DaysOverdue,
    string Currency);

public sealed record Payment(
    int Id,
    int InvoiceId,
    string InvoiceNumber,
    int SupplierId,
    string SupplierName,
    DateOnly PaymentDate,
    decimal Amount,
    string Method,
    string Currency);

/// <summary>One UTC day (or today) of the key's requests, by outcome (<c>GET /api/keys/self</c>).</summary>
public sealed record KeyUsageDay(DateTimeOffset Start, long Allowed, long RateLimited, long QuotaExhausted, long Forbidden, long Refused, long Clients)
{
    public long Total => Allowed + RateLimited + QuotaExhausted + Forbidden + Refused;
}

/// <summary>A limit in force on the key and its use now.</summary>
public sealed record KeyLimit(long Limit, long Used, long Remaining, DateTimeOffset ResetsAt, string? Period, long? WindowSeconds);

/// <summary>What the dashboard's own key says about itself (<c>GET /api/keys/self</c>).</summary>
public sealed record KeySelf(
    Guid Id, string Name, IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt, KeyLimit? RateLimit, KeyLimit? Quota, KeyUsageDay Today,
    IReadOnlyList<KeyUsageDay> Days);
