namespace AdminApi.Procurement;

/// <summary>
/// The whole procure-to-pay demo data, as of one day. Immutable, built once at start-up and shared by all
/// requests.
/// </summary>
/// <remarks>
/// The demo data lives in memory on purpose: it is regenerated identically from a fixed seed for a given
/// <see cref="AsOf"/> date, so there is nothing to persist. Only the admins, keys and audit trail live in the
/// database. A host that runs past midnight keeps describing its start-up day until it restarts, so the
/// numbers never shift under a dashboard user mid-session.
/// </remarks>
public sealed class ProcurementDataSet
{
    /// <summary>The currency of every amount.</summary>
    public const string Currency = "USD";

    internal ProcurementDataSet(
        DateOnly asOf,
        IReadOnlyList<Supplier> suppliers,
        IReadOnlyList<PurchaseOrder> purchaseOrders,
        IReadOnlyList<Invoice> invoices,
        IReadOnlyList<Payment> payments)
    {
        AsOf = asOf;
        Suppliers = suppliers;
        PurchaseOrders = purchaseOrders;
        Invoices = invoices;
        Payments = payments;
    }

    /// <summary>The day the data describes ("today" when the host started).</summary>
    public DateOnly AsOf { get; }

    /// <summary>The first month of the twelve calendar months the data covers.</summary>
    public DateOnly FirstMonth => new DateOnly(AsOf.Year, AsOf.Month, 1).AddMonths(-11);

    public IReadOnlyList<Supplier> Suppliers { get; }

    public IReadOnlyList<PurchaseOrder> PurchaseOrders { get; }

    public IReadOnlyList<Invoice> Invoices { get; }

    public IReadOnlyList<Payment> Payments { get; }
}
