using System.Text.Json;
using AdminApi.Procurement;

namespace P2P.AdminApi.Tests.Procurement;

public sealed class ProcurementDataGeneratorTests
{
    private static readonly DateOnly Today = new(2026, 11, 24);

    private static string Serialize(ProcurementDataSet data) => JsonSerializer.Serialize(
        new { data.AsOf, data.Suppliers, data.PurchaseOrders, data.Invoices, data.Payments },
        JsonSerializerOptions.Web);

    [Fact]
    public void Generate_SameDateTwice_ReturnsIdenticalData()
    {
        Assert.Equal(Serialize(ProcurementDataGenerator.Generate(Today)), Serialize(ProcurementDataGenerator.Generate(Today)));
    }

    [Fact]
    public void Generate_NextDay_MovesTheWindow()
    {
        var tomorrow = ProcurementDataGenerator.Generate(Today.AddDays(1));

        Assert.Equal(Today.AddDays(1), tomorrow.AsOf);
        Assert.NotEqual(Serialize(ProcurementDataGenerator.Generate(Today)), Serialize(tomorrow));
    }

    [Fact]
    public void Generate_Today_HasTheDocumentedVolume()
    {
        var data = ProcurementDataGenerator.Generate(Today);

        Assert.Equal(25, data.Suppliers.Count);
        Assert.InRange(data.PurchaseOrders.Count, 300, 1000);
        Assert.InRange(data.Invoices.Count, 200, data.PurchaseOrders.Count);
        Assert.InRange(data.Payments.Count, 150, data.Invoices.Count);
        Assert.All(Enum.GetValues<PurchaseOrderStatus>(), s => Assert.Contains(data.PurchaseOrders, p => p.Status == s));
        Assert.All(Enum.GetValues<InvoiceStatus>(), s => Assert.Contains(data.Invoices, i => i.Status == s));
        Assert.All(Enum.GetValues<PaymentMethod>(), m => Assert.Contains(data.Payments, p => p.Method == m));
    }

    [Theory]
    [InlineData("2026-11-24")]
    [InlineData("2026-01-01")]
    [InlineData("2026-02-28")]
    [InlineData("2027-03-31")]
    [InlineData("2028-02-29")]
    public void Generate_AnyDate_KeepsTheDataConsistent(string asOf)
    {
        var today = DateOnly.Parse(asOf, System.Globalization.CultureInfo.InvariantCulture);
        var data = ProcurementDataGenerator.Generate(today);
        var queries = new ProcurementQueries(data);
        var summary = queries.Summary();

        // Every payment lies in the twelve months shown by month, and nothing lies in the future.
        Assert.All(data.Payments, p => Assert.InRange(p.PaymentDate, data.FirstMonth, today));
        Assert.All(data.Invoices, i => Assert.True(i.InvoiceDate <= today));
        Assert.All(data.PurchaseOrders, p => Assert.True(p.OrderDate <= today));
        Assert.Equal(summary.TotalSpend, queries.SpendByMonth().Sum(m => m.Spend));
        Assert.Equal(summary.TotalSpend, queries.SpendBySupplier(50).Sum(s => s.Spend));

        // Paid invoices have exactly one payment of their amount, on their paid date; POs of paid invoices are closed.
        var paymentsByInvoice = data.Payments.ToDictionary(p => p.InvoiceId);
        foreach (var invoice in data.Invoices)
        {
            var po = data.PurchaseOrders[invoice.PurchaseOrderId - 1];
            Assert.Equal(invoice.PurchaseOrderNumber, po.Number);
            Assert.Equal(po.SupplierId, invoice.SupplierId);
            Assert.NotEqual(PurchaseOrderStatus.Cancelled, po.Status);
            Assert.True(invoice.InvoiceDate >= po.ExpectedDate);
            if (invoice.Status == InvoiceStatus.Paid)
            {
                Assert.Equal(invoice.PaidDate, paymentsByInvoice[invoice.Id].PaymentDate);
                Assert.Equal(invoice.Amount, paymentsByInvoice[invoice.Id].Amount);
                Assert.Equal(PurchaseOrderStatus.Closed, po.Status);
                Assert.True(invoice.PaidDate > invoice.InvoiceDate);
            }
            else
            {
                Assert.Null(invoice.PaidDate);
                Assert.False(paymentsByInvoice.ContainsKey(invoice.Id));
            }
        }

        Assert.Equal(summary.OverdueInvoices, queries.InvoiceAging().Skip(1).Sum(b => b.Count));
        Assert.Equal(data.PurchaseOrders.Select(p => p.Number).Distinct().Count(), data.PurchaseOrders.Count);
        Assert.Equal(data.Invoices.Select(p => p.Number).Distinct().Count(), data.Invoices.Count);
        Assert.All(data.PurchaseOrders, p => Assert.True(decimal.Round(p.Amount, 2) == p.Amount && p.Amount > 0));
    }
}
