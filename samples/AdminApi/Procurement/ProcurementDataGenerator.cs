namespace AdminApi.Procurement;

/// <summary>
/// Builds the deterministic demo data: about 25 suppliers and several hundred purchase orders over the twelve
/// calendar months up to <c>asOf</c>, with their invoices and payments.
/// </summary>
/// <remarks>
/// The same <c>asOf</c> always yields the same data (fixed seed, no clock reads, no culture-dependent
/// formatting), so tests can compare two builds and the dashboard's numbers only move when the day changes.
/// </remarks>
public static class ProcurementDataGenerator
{
    /// <summary>The fixed random seed. Changing it changes every number the dashboard shows.</summary>
    public const int Seed = 20_260_314;

    private const int PurchaseOrderCount = 420;

    private static readonly (string Name, string Category, string Country, int Terms)[] SupplierTemplates =
    [
        ("Acme Office Supply", "Office Supplies", "US", 30),
        ("Northwind Traders", "Raw Materials", "US", 45),
        ("Contoso Hardware", "IT Hardware", "US", 30),
        ("Fabrikam Software", "Software", "US", 30),
        ("Tailspin Logistics", "Logistics", "CA", 15),
        ("Litware Consulting", "Professional Services", "GB", 45),
        ("Adventure Works Facilities", "Facilities", "US", 30),
        ("Wide World Importers", "Raw Materials", "MX", 60),
        ("Proseware Marketing", "Marketing", "US", 30),
        ("Blue Yonder Travel", "Travel", "US", 15),
        ("Coho Utilities", "Utilities", "US", 15),
        ("Fourth Coffee Catering", "Facilities", "US", 15),
        ("Lucerne Publishing", "Marketing", "DE", 30),
        ("Margie's Travel", "Travel", "CA", 30),
        ("Alpine Ski Packaging", "Raw Materials", "DE", 60),
        ("Graphic Design Institute", "Marketing", "GB", 30),
        ("Humongous Insurance", "Professional Services", "US", 30),
        ("Trey Research Labs", "Professional Services", "US", 45),
        ("VanArsdel Components", "IT Hardware", "NL", 45),
        ("Woodgrove Cloud Services", "Software", "US", 30),
        ("Relecloud Networks", "IT Hardware", "IE", 30),
        ("Consolidated Messenger", "Logistics", "US", 15),
        ("School of Fine Art Prints", "Office Supplies", "US", 30),
        ("Southridge Steel", "Raw Materials", "US", 60),
        ("Datum Security Services", "Facilities", "FR", 45),
    ];

    /// <summary>Builds the data set for the given day.</summary>
    public static ProcurementDataSet Generate(DateOnly asOf)
    {
        var random = new Random(Seed);
        var suppliers = SupplierTemplates
            .Select((t, i) => new Supplier(i + 1, t.Name, t.Category, t.Country, t.Terms))
            .ToArray();

        // Some suppliers get much more business than others, so "spend by supplier" has a visible head.
        var weights = suppliers.Select(_ => 1 + random.Next(1, 10) * random.Next(1, 4)).ToArray();
        var totalWeight = weights.Sum();

        // Orders start two months before the twelve-month window so its first months have invoices and payments
        // too; an order from before the window is kept only when its invoice falls inside it (see below).
        var firstMonth = new DateOnly(asOf.Year, asOf.Month, 1).AddMonths(-11);
        var firstDay = firstMonth.AddMonths(-2);
        var days = asOf.DayNumber - firstDay.DayNumber + 1;

        var orders = new List<(DateOnly Date, Supplier Supplier, decimal Amount, int LeadDays)>(PurchaseOrderCount);
        for (var i = 0; i < PurchaseOrderCount; i++)
        {
            var supplier = suppliers[PickWeighted(random, weights, totalWeight)];
            var date = firstDay.AddDays(random.Next(days));
            orders.Add((date, supplier, Amount(random, supplier.Category), random.Next(3, 31)));
        }

        orders.Sort((a, b) => a.Date.CompareTo(b.Date));

        var purchaseOrders = new List<PurchaseOrder>(orders.Count);
        var invoices = new List<Invoice>();
        var payments = new List<Payment>();
        var poSequence = new Dictionary<int, int>();
        var pendingInvoices = new List<(DateOnly InvoiceDate, PurchaseOrder Po, Supplier Supplier, decimal Amount)>();

        foreach (var (orderDate, supplier, amount, leadDays) in orders)
        {
            var expected = orderDate.AddDays(leadDays);
            var cancelled = random.NextDouble() < 0.04;
            var received = !cancelled && expected <= asOf;

            // Goods are invoiced a few days after delivery; late deliveries may not be invoiced yet.
            DateOnly? invoiceDate = received ? expected.AddDays(random.Next(0, 11)) : null;
            if (invoiceDate > asOf)
            {
                invoiceDate = null;
            }

            // Last year's business that was invoiced (and so paid) before the window is out of scope: every
            // payment then falls inside the twelve months, and spend by month adds up to total spend.
            if (orderDate < firstMonth && (invoiceDate is null || invoiceDate < firstMonth))
            {
                continue;
            }

            var number = $"PO-{orderDate.Year:D4}-{Next(poSequence, orderDate.Year):D4}";

            var status = cancelled ? PurchaseOrderStatus.Cancelled
                : received ? PurchaseOrderStatus.Received
                : PurchaseOrderStatus.Open;
            var po = new PurchaseOrder(purchaseOrders.Count + 1, number, supplier.Id, supplier.Name, orderDate, expected, status, amount, ProcurementDataSet.Currency);
            purchaseOrders.Add(po);

            if (invoiceDate is { } d)
            {
                pendingInvoices.Add((d, po, supplier, amount));
            }
        }

        // Invoices are numbered in invoice-date order, as an accounts-payable system would.
        var invoiceSequence = new Dictionary<int, int>();
        foreach (var (invoiceDate, po, supplier, amount) in pendingInvoices.OrderBy(p => p.InvoiceDate).ThenBy(p => p.Po.Id))
        {
            var number = $"INV-{invoiceDate.Year:D4}-{Next(invoiceSequence, invoiceDate.Year):D4}";
            var due = invoiceDate.AddDays(supplier.PaymentTermsDays);
            var roll = random.NextDouble();
            InvoiceStatus status;
            DateOnly? paidDate = null;

            if (roll < 0.03)
            {
                status = InvoiceStatus.Rejected;
            }
            else
            {
                // Most invoices are paid around their due date; a few are forgotten and age into the later buckets.
                var forgotten = roll > 0.92;
                var payDate = due.AddDays(random.Next(-12, 16));
                if (payDate <= invoiceDate)
                {
                    payDate = invoiceDate.AddDays(1);
                }

                if (!forgotten && payDate <= asOf)
                {
                    status = InvoiceStatus.Paid;
                    paidDate = payDate;
                }
                else
                {
                    var recent = asOf.DayNumber - invoiceDate.DayNumber < 7;
                    status = recent || random.NextDouble() < 0.35 ? InvoiceStatus.AwaitingApproval : InvoiceStatus.Approved;
                }
            }

            var open = status is InvoiceStatus.AwaitingApproval or InvoiceStatus.Approved;
            var daysOverdue = open ? Math.Max(0, asOf.DayNumber - due.DayNumber) : 0;
            var invoice = new Invoice(invoices.Count + 1, number, po.Id, po.Number, supplier.Id, supplier.Name, invoiceDate, due, status, amount, paidDate, daysOverdue, ProcurementDataSet.Currency);
            invoices.Add(invoice);

            if (paidDate is { } paid)
            {
                purchaseOrders[po.Id - 1] = po with { Status = PurchaseOrderStatus.Closed };
                payments.Add(new Payment(0, invoice.Id, invoice.Number, supplier.Id, supplier.Name, paid, amount, PickMethod(random), ProcurementDataSet.Currency));
            }
        }

        var orderedPayments = payments
            .OrderBy(p => p.PaymentDate)
            .ThenBy(p => p.InvoiceId)
            .Select((p, i) => p with { Id = i + 1 })
            .ToArray();

        return new ProcurementDataSet(asOf, suppliers, purchaseOrders.ToArray(), invoices.ToArray(), orderedPayments);
    }

    private static int Next(Dictionary<int, int> sequences, int year)
    {
        var next = sequences.GetValueOrDefault(year) + 1;
        sequences[year] = next;
        return next;
    }

    private static int PickWeighted(Random random, int[] weights, int totalWeight)
    {
        var pick = random.Next(totalWeight);
        for (var i = 0; i < weights.Length; i++)
        {
            pick -= weights[i];
            if (pick < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }

    private static decimal Amount(Random random, string category)
    {
        var (min, max) = category switch
        {
            "IT Hardware" => (1_500, 48_000),
            "Raw Materials" => (2_000, 60_000),
            "Software" => (500, 25_000),
            "Professional Services" => (3_000, 40_000),
            "Logistics" => (400, 9_000),
            "Facilities" => (300, 12_000),
            "Marketing" => (800, 18_000),
            "Utilities" => (250, 4_000),
            "Travel" => (200, 6_000),
            _ => (50, 2_500),
        };

        // Skewed towards the low end, as real order values are; cents built exactly so amounts keep two decimals.
        var fraction = Math.Pow(random.NextDouble(), 2);
        var cents = (long)((min + (max - min) * fraction) * 100);
        return Cents(cents);
    }

    private static decimal Cents(long cents) => new((int)cents, (int)(cents >> 32), 0, false, 2);

    private static PaymentMethod PickMethod(Random random) => random.Next(10) switch
    {
        < 5 => PaymentMethod.Ach,
        < 7 => PaymentMethod.Wire,
        < 8 => PaymentMethod.Card,
        _ => PaymentMethod.Check,
    };
}
