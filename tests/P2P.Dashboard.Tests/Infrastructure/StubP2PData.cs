namespace P2P.Dashboard.Tests.Infrastructure;

/// <summary>
/// Fixed data for the stub P2P API, in the JSON shapes of docs/p2p-api.md. Anonymous objects on
/// purpose: the stub must not share the dashboard's models, or a contract mistake would go unseen.
/// </summary>
internal static class StubP2PData
{
    public static readonly DateOnly AsOf = new(2026, 11, 24);

    public static readonly object Summary = new
    {
        currency = "USD",
        asOf = "2026-11-24",
        totalSpend = 1234567.89m,
        openPurchaseOrders = 42,
        openPurchaseOrderValue = 98765.43m,
        invoicesAwaitingApproval = 17,
        overdueInvoices = 9,
        overdueAmount = 12345.60m,
        averageDaysInvoiceToPayment = 28.4,
    };

    public static readonly IReadOnlyList<(int Id, string Name, string Category, string Country, int Terms)> Suppliers =
    [
        (1, "Acme Office Supply", "Office", "US", 30),
        (2, "Blue Ridge Logistics", "Freight", "US", 45),
        (3, "Contoso Hardware", "IT", "US", 30),
        (4, "Delta Facility Services", "Facilities", "CA", 60),
        (5, "Evergreen Packaging", "Packaging", "US", 30),
        (6, "Fabrikam Components", "Manufacturing", "DE", 45),
        (7, "Globex Energy", "Utilities", "US", 15),
        (8, "Helios Print & Co.", "Marketing", "GB", 30),
        (9, "Initech Software", "IT", "US", 30),
        (10, "Juniper Catering", "Facilities", "US", 15),
        (11, "Kestrel Consulting", "Services", "NL", 60),
        (12, "Lumen Lab Supplies", "Lab", "US", 45),
    ];

    public static readonly IReadOnlyList<object> SpendBySupplier =
        Suppliers.Take(10).Select((s, i) => (object)new { supplierId = s.Id, supplierName = s.Name, spend = 250000.00m - i * 21500.25m }).ToList();

    public static readonly IReadOnlyList<object> SpendByMonth =
        Enumerable.Range(0, 12)
            .Select(i => (object)new { month = new DateOnly(2025, 12, 1).AddMonths(i).ToString("yyyy-MM"), spend = i == 3 ? 0m : 80000m + i * 7350.5m })
            .ToList();

    public static readonly IReadOnlyList<object> Aging =
    [
        new { bucket = "Current", count = 12, amount = 34567.80m },
        new { bucket = "1-30", count = 5, amount = 8123.45m },
        new { bucket = "31-60", count = 2, amount = 2500.00m },
        new { bucket = "61-90", count = 1, amount = 1200.15m },
        new { bucket = "90+", count = 1, amount = 522.00m },
    ];

    public static readonly string[] PurchaseOrderStatuses = ["Open", "Received", "Closed", "Cancelled"];

    /// <summary>45 orders: statuses cycle, so 12 are Open.</summary>
    public static readonly IReadOnlyList<StubPurchaseOrder> PurchaseOrders =
        Enumerable.Range(1, 45).Select(i =>
        {
            var s = Suppliers[(i - 1) % Suppliers.Count];
            var orderDate = AsOf.AddDays(-i * 7);
            return new StubPurchaseOrder(i, $"PO-2026-{i:0000}", s.Id, s.Name, orderDate, orderDate.AddDays(14),
                PurchaseOrderStatuses[(i - 1) % 4], 1000m + i * 137.25m);
        }).ToList();

    public static readonly string[] InvoiceStatuses = ["AwaitingApproval", "Approved", "Paid", "Rejected"];

    public static readonly IReadOnlyList<StubInvoice> Invoices =
        Enumerable.Range(1, 30).Select(i =>
        {
            var po = PurchaseOrders[i - 1];
            var invoiceDate = po.OrderDate.AddDays(10);
            var status = InvoiceStatuses[(i - 1) % 4];
            var due = invoiceDate.AddDays(30);
            DateOnly? paid = status == "Paid" ? due.AddDays(-2) : null;
            var overdue = status is "AwaitingApproval" or "Approved" && due < AsOf ? AsOf.DayNumber - due.DayNumber : 0;
            return new StubInvoice(i, $"INV-2026-{i:0000}", po.Id, po.Number, po.SupplierId, po.SupplierName,
                invoiceDate, due, status, po.Amount, paid, overdue);
        }).ToList();

    public static readonly IReadOnlyList<StubPayment> Payments =
        Invoices.Where(i => i.PaidDate is not null)
            .Select((inv, n) => new StubPayment(n + 1, inv.Id, inv.Number, inv.SupplierId, inv.SupplierName,
                inv.PaidDate!.Value, inv.Amount, new[] { "ACH", "Wire", "Card", "Check" }[n % 4]))
            .ToList();

    public static readonly System.Text.Json.JsonSerializerOptions SnakeCase = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>Requests per day of the dashboard's key, oldest first; today (the last) is 1,234 of a daily quota of 10,000.</summary>
    public static readonly long[] KeyRequestsPerDay = [2310, 1980, 2675, 3120, 860, 410, 1234];

    public static object KeySelf()
    {
        var today = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
        object Day(int i) => new
        {
            Start = today.AddDays(i - 6),
            Allowed = KeyRequestsPerDay[i] - (i == 6 ? 3 : 0),
            RateLimited = i == 6 ? 3 : 0,
            QuotaExhausted = 0,
            Forbidden = 0,
            Refused = 0,
            Clients = 2,
        };
        return new
        {
            Id = Guid.Parse("0199a3c2-7d1e-7c3a-9f0e-2b4c6d8e0f12"),
            Name = "Streamlit App Key",
            Scopes = new[] { "p2p:read" },
            ExpiresAt = (DateTimeOffset?)null,
            RateLimit = new { Limit = 600, WindowSeconds = 60, Used = 12, Remaining = 588, ResetsAt = today.AddDays(1) },
            Quota = new { Limit = 10_000, Period = "day", Used = 1234, Remaining = 8766, ResetsAt = today.AddDays(1) },
            Today = Day(6),
            Days = Enumerable.Range(0, 7).Select(Day).ToArray(),
        };
    }
}

internal sealed record StubPurchaseOrder(int Id, string Number, int SupplierId, string SupplierName,
    DateOnly OrderDate, DateOnly ExpectedDate, string Status, decimal Amount)
{
    public object Json => new
    {
        id = Id, number = Number, supplierId = SupplierId, supplierName = SupplierName,
        orderDate = OrderDate.ToString("yyyy-MM-dd"), expectedDate = ExpectedDate.ToString("yyyy-MM-dd"),
        status = Status, amount = Amount, currency = "USD",
    };
}

internal sealed record StubInvoice(int Id, string Number, int PurchaseOrderId, string PurchaseOrderNumber, int SupplierId,
    string SupplierName, DateOnly InvoiceDate, DateOnly DueDate, string Status, decimal Amount, DateOnly? PaidDate, int DaysOverdue)
{
    public object Json => new
    {
        id = Id, number = Number, purchaseOrderId = PurchaseOrderId, purchaseOrderNumber = PurchaseOrderNumber,
        supplierId = SupplierId, supplierName = SupplierName,
        invoiceDate = InvoiceDate.ToString("yyyy-MM-dd"), dueDate = DueDate.ToString("yyyy-MM-dd"),
        status = Status, amount = Amount, paidDate = PaidDate?.ToString("yyyy-MM-dd"), daysOverdue = DaysOverdue, currency = "USD",
    };
}

internal sealed record StubPayment(int Id, int InvoiceId, string InvoiceNumber, int SupplierId, string SupplierName,
    DateOnly PaymentDate, decimal Amount, string Method)
{
    public object Json => new
    {
        id = Id, invoiceId = InvoiceId, invoiceNumber = InvoiceNumber, supplierId = SupplierId, supplierName = SupplierName,
        paymentDate = PaymentDate.ToString("yyyy-MM-dd"), amount = Amount, method = Method, currency = "USD",
    };
}
