namespace AdminApi.Procurement;

/// <summary>Answers the data routes from the in-memory <see cref="ProcurementDataSet"/>.</summary>
/// <remarks>Aggregates are computed per request: the data set is a few hundred rows, so caching would buy nothing.</remarks>
internal sealed class ProcurementQueries(ProcurementDataSet data)
{
    public static readonly IReadOnlyList<string> AgingBuckets = ["Current", "1-30", "31-60", "61-90", "90+"];
    public static readonly IReadOnlyList<string> SupplierSorts = ["name"];
    public static readonly IReadOnlyList<string> PurchaseOrderSorts = ["orderDate", "amount", "supplier", "number"];
    public static readonly IReadOnlyList<string> InvoiceSorts = ["invoiceDate", "dueDate", "amount", "supplier", "number"];
    public static readonly IReadOnlyList<string> PaymentSorts = ["paymentDate", "amount"];

    public ProcurementSummary Summary()
    {
        var openOrders = data.PurchaseOrders.Where(p => p.Status == PurchaseOrderStatus.Open).ToArray();
        var overdue = data.Invoices.Where(i => i.DaysOverdue > 0).ToArray();
        var paid = data.Invoices.Where(i => i.PaidDate is not null).ToArray();
        var averageDays = paid.Length == 0
            ? 0
            : Math.Round(paid.Average(i => i.PaidDate!.Value.DayNumber - i.InvoiceDate.DayNumber), 1, MidpointRounding.AwayFromZero);

        return new ProcurementSummary(
            ProcurementDataSet.Currency,
            data.AsOf,
            Money(data.Payments.Sum(p => p.Amount)),
            openOrders.Length,
            Money(openOrders.Sum(p => p.Amount)),
            data.Invoices.Count(i => i.Status == InvoiceStatus.AwaitingApproval),
            overdue.Length,
            Money(overdue.Sum(i => i.Amount)),
            averageDays);
    }

    public IReadOnlyList<SupplierSpend> SpendBySupplier(int top) => data.Payments
        .GroupBy(p => p.SupplierId)
        .Select(g => new SupplierSpend(g.Key, g.First().SupplierName, Money(g.Sum(p => p.Amount))))
        .OrderByDescending(s => s.Spend)
        .ThenBy(s => s.SupplierId)
        .Take(top)
        .ToArray();

    public IReadOnlyList<MonthlySpend> SpendByMonth()
    {
        var byMonth = data.Payments
            .GroupBy(p => (p.PaymentDate.Year, p.PaymentDate.Month))
            .ToDictionary(g => g.Key, g => g.Sum(p => p.Amount));
        return Enumerable.Range(0, 12)
            .Select(i => data.FirstMonth.AddMonths(i))
            .Select(m => new MonthlySpend($"{m.Year:D4}-{m.Month:D2}", Money(byMonth.GetValueOrDefault((m.Year, m.Month)))))
            .ToArray();
    }

    public IReadOnlyList<AgingBucket> InvoiceAging()
    {
        var open = data.Invoices.Where(i => i.Status is InvoiceStatus.AwaitingApproval or InvoiceStatus.Approved).ToArray();
        return AgingBuckets
            .Select(bucket =>
            {
                var inBucket = open.Where(i => BucketOf(i.DaysOverdue) == bucket).ToArray();
                return new AgingBucket(bucket, inBucket.Length, Money(inBucket.Sum(i => i.Amount)));
            })
            .ToArray();
    }

    public PagedResult<Supplier> Suppliers(ListQuery query, string? search)
    {
        var items = data.Suppliers.Where(s => search is null || s.Name.Contains(search, StringComparison.OrdinalIgnoreCase));
        return query.ToPage(Sort(items, s => s.Name, query.Descending, s => s.Id, StringComparer.Ordinal));
    }

    public PagedResult<PurchaseOrder> PurchaseOrders(ListQuery query, PurchaseOrderStatus? status, int? supplierId)
    {
        var items = data.PurchaseOrders.Where(p =>
            (status is null || p.Status == status) && (supplierId is null || p.SupplierId == supplierId) && query.InRange(p.OrderDate));
        var d = query.Descending;
        return query.ToPage(query.Sort switch
        {
            "amount" => Sort(items, p => p.Amount, d, p => p.Id),
            "supplier" => Sort(items, p => p.SupplierName, d, p => p.Id, StringComparer.Ordinal),
            "number" => Sort(items, p => p.Number, d, p => p.Id, StringComparer.Ordinal),
            _ => Sort(items, p => p.OrderDate, d, p => p.Id),
        });
    }

    public PagedResult<Invoice> Invoices(ListQuery query, InvoiceStatus? status, int? supplierId, bool? overdue)
    {
        var items = data.Invoices.Where(i =>
            (status is null || i.Status == status)
            && (supplierId is null || i.SupplierId == supplierId)
            && (overdue is null || (i.DaysOverdue > 0) == overdue)
            && query.InRange(i.InvoiceDate));
        var d = query.Descending;
        return query.ToPage(query.Sort switch
        {
            "dueDate" => Sort(items, i => i.DueDate, d, i => i.Id),
            "amount" => Sort(items, i => i.Amount, d, i => i.Id),
            "supplier" => Sort(items, i => i.SupplierName, d, i => i.Id, StringComparer.Ordinal),
            "number" => Sort(items, i => i.Number, d, i => i.Id, StringComparer.Ordinal),
            _ => Sort(items, i => i.InvoiceDate, d, i => i.Id),
        });
    }

    public PagedResult<Payment> Payments(ListQuery query, int? supplierId)
    {
        var items = data.Payments.Where(p => (supplierId is null || p.SupplierId == supplierId) && query.InRange(p.PaymentDate));
        return query.ToPage(query.Sort == "amount"
            ? Sort(items, p => p.Amount, query.Descending, p => p.Id)
            : Sort(items, p => p.PaymentDate, query.Descending, p => p.Id));
    }

    /// <summary>Always two decimals on the wire (<c>0.00</c>, not <c>0</c>): adding 0.00m raises a decimal's scale to 2.</summary>
    internal static decimal Money(decimal amount) => decimal.Round(amount, 2, MidpointRounding.AwayFromZero) + 0.00m;

    internal static string BucketOf(int daysOverdue) => daysOverdue switch
    {
        <= 0 => "Current",
        <= 30 => "1-30",
        <= 60 => "31-60",
        <= 90 => "61-90",
        _ => "90+",
    };

    // The id breaks ties in the same direction, so pages never overlap or skip rows.
    private static T[] Sort<T, TKey>(IEnumerable<T> items, Func<T, TKey> key, bool descending, Func<T, int> id, IComparer<TKey>? comparer = null) =>
        descending
            ? items.OrderByDescending(key, comparer).ThenByDescending(id).ToArray()
            : items.OrderBy(key, comparer).ThenBy(id).ToArray();
}
