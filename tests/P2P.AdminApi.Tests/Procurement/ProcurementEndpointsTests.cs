using System.Globalization;
using System.Net;
using System.Text.Json;
using P2P.AdminApi.Tests.Infrastructure;
using P2P.Tests.Shared;

namespace P2P.AdminApi.Tests.Procurement;

/// <summary>The data routes over HTTP, field by field against docs/p2p-api.md.</summary>
public sealed class ProcurementEndpointsTests(AdminApiFactory factory)
{
    private readonly HttpClient _client = factory.CreateDataClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<JsonElement> GetJsonAsync(string url)
    {
        using var response = await _client.GetAsync(new Uri(url, UriKind.Relative), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.Clone();
    }

    private static JsonElement[] Items(JsonElement page) => page.GetProperty("items").EnumerateArray().ToArray();

    [Fact]
    public async Task Summary_Get_ReturnsDocumentedKpis()
    {
        var summary = await GetJsonAsync("/api/p2p/summary");

        JsonShape.HasFields(summary, "currency", "as_of", "total_spend", "open_purchase_orders", "open_purchase_order_value",
            "invoices_awaiting_approval", "overdue_invoices", "overdue_amount", "average_days_invoice_to_payment");
        Assert.Equal("USD", summary.GetProperty("currency").GetString());
        Assert.Equal("2026-11-24", summary.GetProperty("as_of").GetString());
        JsonShape.IsMoney(summary.GetProperty("total_spend"));
        JsonShape.IsMoney(summary.GetProperty("open_purchase_order_value"));
        JsonShape.IsMoney(summary.GetProperty("overdue_amount"));
        Assert.True(summary.GetProperty("open_purchase_orders").GetInt32() > 0);
        Assert.True(summary.GetProperty("invoices_awaiting_approval").GetInt32() > 0);
        Assert.True(summary.GetProperty("overdue_invoices").GetInt32() > 0);
        Assert.InRange(summary.GetProperty("average_days_invoice_to_payment").GetDouble(), 1, 90);
    }

    [Fact]
    public async Task Summary_Kpis_MatchTheLists()
    {
        var summary = await GetJsonAsync("/api/p2p/summary");
        var overdue = await GetJsonAsync("/api/p2p/invoices?overdue=true&pageSize=100");
        var awaiting = await GetJsonAsync("/api/p2p/invoices?status=AwaitingApproval&pageSize=1");
        var open = await GetJsonAsync("/api/p2p/purchase-orders?status=Open&pageSize=100");
        var payments = await GetJsonAsync("/api/p2p/payments?pageSize=1");

        Assert.Equal(summary.GetProperty("overdue_invoices").GetInt32(), overdue.GetProperty("total").GetInt32());
        Assert.Equal(summary.GetProperty("overdue_amount").GetDecimal(), Items(overdue).Sum(i => i.GetProperty("amount").GetDecimal()));
        Assert.Equal(summary.GetProperty("invoices_awaiting_approval").GetInt32(), awaiting.GetProperty("total").GetInt32());
        Assert.Equal(summary.GetProperty("open_purchase_orders").GetInt32(), open.GetProperty("total").GetInt32());
        Assert.Equal(summary.GetProperty("open_purchase_order_value").GetDecimal(), Items(open).Sum(p => p.GetProperty("amount").GetDecimal()));

        var allPayments = await GetAllAsync("/api/p2p/payments", payments.GetProperty("total").GetInt32());
        Assert.Equal(summary.GetProperty("total_spend").GetDecimal(), allPayments.Sum(p => p.GetProperty("amount").GetDecimal()));
    }

    [Fact]
    public async Task SpendBySupplier_Default_ReturnsTenHighestFirst()
    {
        var spend = (await GetJsonAsync("/api/p2p/spend/by-supplier")).EnumerateArray().ToArray();

        Assert.Equal(10, spend.Length);
        JsonShape.HasFields(spend[0], "supplier_id", "supplier_name", "spend");
        var amounts = spend.Select(s => s.GetProperty("spend").GetDecimal()).ToArray();
        Assert.Equal(amounts.OrderDescending(), amounts);
        Assert.All(spend, s => JsonShape.IsMoney(s.GetProperty("spend")));
    }

    [Fact]
    public async Task SpendBySupplier_Top50_CoversEverySupplierAndSumsToTotalSpend()
    {
        var summary = await GetJsonAsync("/api/p2p/summary");
        var spend = (await GetJsonAsync("/api/p2p/spend/by-supplier?top=50")).EnumerateArray().ToArray();
        var three = (await GetJsonAsync("/api/p2p/spend/by-supplier?top=3")).EnumerateArray().ToArray();

        Assert.InRange(spend.Length, 20, 50);
        Assert.Equal(3, three.Length);
        Assert.Equal(summary.GetProperty("total_spend").GetDecimal(), spend.Sum(s => s.GetProperty("spend").GetDecimal()));
    }

    [Fact]
    public async Task SpendByMonth_Get_ReturnsTwelveMonthsOldestFirstSummingToTotalSpend()
    {
        var summary = await GetJsonAsync("/api/p2p/summary");
        var months = (await GetJsonAsync("/api/p2p/spend/by-month")).EnumerateArray().ToArray();

        Assert.Equal(12, months.Length);
        JsonShape.HasFields(months[0], "month", "spend");
        var expected = Enumerable.Range(0, 12).Select(i => new DateOnly(2025, 12, 1).AddMonths(i).ToString("yyyy-MM", CultureInfo.InvariantCulture));
        Assert.Equal(expected, months.Select(m => m.GetProperty("month").GetString()));
        Assert.All(months, m => JsonShape.IsMoney(m.GetProperty("spend")));
        Assert.Equal(summary.GetProperty("total_spend").GetDecimal(), months.Sum(m => m.GetProperty("spend").GetDecimal()));
    }

    [Fact]
    public async Task InvoiceAging_Get_ReturnsFiveBucketsInOrderConsistentWithOverdueKpi()
    {
        var summary = await GetJsonAsync("/api/p2p/summary");
        var buckets = (await GetJsonAsync("/api/p2p/invoices/aging")).EnumerateArray().ToArray();
        var approved = await GetJsonAsync("/api/p2p/invoices?status=Approved&pageSize=1");
        var awaiting = await GetJsonAsync("/api/p2p/invoices?status=AwaitingApproval&pageSize=1");

        Assert.Equal(["Current", "1-30", "31-60", "61-90", "90+"], buckets.Select(b => b.GetProperty("bucket").GetString()));
        JsonShape.HasFields(buckets[0], "bucket", "count", "amount");
        Assert.All(buckets, b => Assert.True(b.GetProperty("count").GetInt32() > 0, $"bucket {b} is empty in the demo data"));
        var pastDue = buckets.Skip(1).ToArray();
        Assert.Equal(summary.GetProperty("overdue_invoices").GetInt32(), pastDue.Sum(b => b.GetProperty("count").GetInt32()));
        Assert.Equal(summary.GetProperty("overdue_amount").GetDecimal(), pastDue.Sum(b => b.GetProperty("amount").GetDecimal()));
        Assert.Equal(
            approved.GetProperty("total").GetInt32() + awaiting.GetProperty("total").GetInt32(),
            buckets.Sum(b => b.GetProperty("count").GetInt32()));
    }

    [Fact]
    public async Task Suppliers_Default_ReturnsAllByNameAscending()
    {
        var page = await GetJsonAsync("/api/p2p/suppliers?pageSize=100");

        JsonShape.HasFields(page, "items", "page", "page_size", "total");
        Assert.Equal(1, page.GetProperty("page").GetInt32());
        Assert.Equal(100, page.GetProperty("page_size").GetInt32());
        Assert.Equal(25, page.GetProperty("total").GetInt32());
        var items = Items(page);
        JsonShape.HasFields(items[0], "id", "name", "category", "country", "payment_terms_days");
        var names = items.Select(s => s.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
    }

    [Fact]
    public async Task Suppliers_SearchAndDescending_FiltersByNameContains()
    {
        var page = await GetJsonAsync("/api/p2p/suppliers?search=ware&order=desc");

        var names = Items(page).Select(s => s.GetProperty("name").GetString()!).ToArray();
        Assert.NotEmpty(names);
        Assert.All(names, n => Assert.Contains("ware", n, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(names.Order(StringComparer.Ordinal).Reverse(), names);
        Assert.Equal(names.Length, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task PurchaseOrders_Default_ReturnsDocumentedItemsNewestFirst()
    {
        var page = await GetJsonAsync("/api/p2p/purchase-orders");

        Assert.Equal(20, page.GetProperty("page_size").GetInt32());
        Assert.InRange(page.GetProperty("total").GetInt32(), 300, 1000);
        var items = Items(page);
        Assert.Equal(20, items.Length);
        JsonShape.HasFields(items[0], "id", "number", "supplier_id", "supplier_name", "order_date", "expected_date", "status", "amount", "currency");
        Assert.All(items, po =>
        {
            Assert.Matches(@"^PO-\d{4}-\d{4}$", po.GetProperty("number").GetString());
            JsonShape.IsDate(po.GetProperty("order_date"));
            JsonShape.IsDate(po.GetProperty("expected_date"));
            JsonShape.IsMoney(po.GetProperty("amount"));
            Assert.Contains(po.GetProperty("status").GetString(), new[] { "Open", "Received", "Closed", "Cancelled" });
            Assert.Equal("USD", po.GetProperty("currency").GetString());
        });
        var dates = items.Select(p => p.GetProperty("order_date").GetString()!).ToArray();
        Assert.Equal(dates.OrderDescending(StringComparer.Ordinal), dates);
    }

    [Fact]
    public async Task PurchaseOrders_Filters_ApplyStatusSupplierAndInclusiveDates()
    {
        var page = await GetJsonAsync("/api/p2p/purchase-orders?status=closed&supplierId=1&from=2026-03-01&to=2026-08-31&pageSize=100");

        var items = Items(page);
        Assert.NotEmpty(items);
        Assert.All(items, po =>
        {
            Assert.Equal("Closed", po.GetProperty("status").GetString());
            Assert.Equal(1, po.GetProperty("supplier_id").GetInt32());
            Assert.InRange(po.GetProperty("order_date").GetString()!, "2026-03-01", "2026-08-31");
        });

        var oneDay = Items(await GetJsonAsync("/api/p2p/purchase-orders?pageSize=1")).Single().GetProperty("order_date").GetString();
        var sameDay = await GetJsonAsync($"/api/p2p/purchase-orders?from={oneDay}&to={oneDay}");
        Assert.True(sameDay.GetProperty("total").GetInt32() >= 1, "from/to must be inclusive");
    }

    [Theory]
    [InlineData("amount")]
    [InlineData("supplier")]
    [InlineData("number")]
    [InlineData("orderDate")]
    public async Task PurchaseOrders_SortAscending_OrdersBySortField(string sort)
    {
        var items = Items(await GetJsonAsync($"/api/p2p/purchase-orders?sort={sort}&order=asc&pageSize=100"));

        var field = sort == "supplier" ? "supplier_name" : JsonNamingPolicy.SnakeCaseLower.ConvertName(sort);
        if (sort == "amount")
        {
            var amounts = items.Select(i => i.GetProperty(field).GetDecimal()).ToArray();
            Assert.Equal(amounts.Order(), amounts);
        }
        else
        {
            var values = items.Select(i => i.GetProperty(field).GetString()!).ToArray();
            Assert.Equal(values.Order(StringComparer.Ordinal), values);
        }
    }

    [Fact]
    public async Task PurchaseOrders_ConsecutivePages_NeitherOverlapNorSkip()
    {
        var all = Items(await GetJsonAsync("/api/p2p/purchase-orders?sort=amount&pageSize=60"));
        var first = Items(await GetJsonAsync("/api/p2p/purchase-orders?sort=amount&pageSize=30&page=1"));
        var second = Items(await GetJsonAsync("/api/p2p/purchase-orders?sort=amount&pageSize=30&page=2"));

        Assert.Equal(all.Select(i => i.GetProperty("id").GetInt32()), first.Concat(second).Select(i => i.GetProperty("id").GetInt32()));
    }

    [Theory]
    [InlineData("/api/p2p/purchase-orders?page=1000")]
    [InlineData("/api/p2p/purchase-orders?page=2147483647&pageSize=100")]
    [InlineData("/api/p2p/invoices?supplierId=999")]
    public async Task Lists_PageBeyondEndOrUnknownSupplier_ReturnEmptyItems(string url)
    {
        var page = await GetJsonAsync(url);

        Assert.Empty(Items(page));
    }

    [Fact]
    public async Task Invoices_Default_ReturnsDocumentedItems()
    {
        var items = Items(await GetJsonAsync("/api/p2p/invoices?pageSize=100"));

        JsonShape.HasFields(items[0], "id", "number", "purchase_order_id", "purchase_order_number", "supplier_id", "supplier_name",
            "invoice_date", "due_date", "status", "amount", "paid_date", "days_overdue", "currency");
        Assert.All(items, i =>
        {
            Assert.Matches(@"^INV-\d{4}-\d{4}$", i.GetProperty("number").GetString());
            Assert.Matches(@"^PO-\d{4}-\d{4}$", i.GetProperty("purchase_order_number").GetString());
            JsonShape.IsDate(i.GetProperty("invoice_date"));
            JsonShape.IsDate(i.GetProperty("due_date"));
            JsonShape.IsNullableDate(i.GetProperty("paid_date"));
            JsonShape.IsMoney(i.GetProperty("amount"));
            var status = i.GetProperty("status").GetString();
            Assert.Contains(status, new[] { "AwaitingApproval", "Approved", "Paid", "Rejected" });
            Assert.Equal(status == "Paid", i.GetProperty("paid_date").ValueKind != JsonValueKind.Null);
        });
        var dates = items.Select(i => i.GetProperty("invoice_date").GetString()!).ToArray();
        Assert.Equal(dates.OrderDescending(StringComparer.Ordinal), dates);
    }

    [Fact]
    public async Task Invoices_OverdueTrue_ReturnsOnlyUnpaidPastDue()
    {
        var items = Items(await GetJsonAsync("/api/p2p/invoices?overdue=true&pageSize=100&sort=dueDate&order=asc"));
        var notOverdue = Items(await GetJsonAsync("/api/p2p/invoices?overdue=false&pageSize=100"));

        Assert.NotEmpty(items);
        Assert.All(items, i =>
        {
            Assert.Contains(i.GetProperty("status").GetString(), new[] { "AwaitingApproval", "Approved" });
            Assert.True(string.CompareOrdinal(i.GetProperty("due_date").GetString(), "2026-11-24") < 0);
            Assert.True(i.GetProperty("days_overdue").GetInt32() > 0);
        });
        Assert.All(notOverdue, i => Assert.Equal(0, i.GetProperty("days_overdue").GetInt32()));
    }

    [Fact]
    public async Task Payments_Default_ReturnsDocumentedItemsNewestFirst()
    {
        var items = Items(await GetJsonAsync("/api/p2p/payments?pageSize=100"));

        JsonShape.HasFields(items[0], "id", "invoice_id", "invoice_number", "supplier_id", "supplier_name", "payment_date", "amount", "method", "currency");
        Assert.All(items, p =>
        {
            JsonShape.IsDate(p.GetProperty("payment_date"));
            JsonShape.IsMoney(p.GetProperty("amount"));
            Assert.Contains(p.GetProperty("method").GetString(), new[] { "ACH", "Wire", "Card", "Check" });
        });
        var dates = items.Select(p => p.GetProperty("payment_date").GetString()!).ToArray();
        Assert.Equal(dates.OrderDescending(StringComparer.Ordinal), dates);
        Assert.True(string.CompareOrdinal(dates[0], "2026-11-24") <= 0);
    }

    [Fact]
    public async Task Payments_SupplierAndAmountAscending_FiltersAndSorts()
    {
        var items = Items(await GetJsonAsync("/api/p2p/payments?supplierId=2&sort=amount&order=asc&pageSize=100"));

        Assert.NotEmpty(items);
        Assert.All(items, p => Assert.Equal(2, p.GetProperty("supplier_id").GetInt32()));
        var amounts = items.Select(p => p.GetProperty("amount").GetDecimal()).ToArray();
        Assert.Equal(amounts.Order(), amounts);
    }

    [Theory]
    [InlineData("/api/p2p/purchase-orders?page=0", "page")]
    [InlineData("/api/p2p/purchase-orders?page=-1", "page")]
    [InlineData("/api/p2p/purchase-orders?page=1.5", "page")]
    [InlineData("/api/p2p/purchase-orders?page=99999999999", "page")]
    [InlineData("/api/p2p/purchase-orders?pageSize=0", "pageSize")]
    [InlineData("/api/p2p/purchase-orders?pageSize=101", "pageSize")]
    [InlineData("/api/p2p/purchase-orders?pageSize=abc", "pageSize")]
    [InlineData("/api/p2p/purchase-orders?status=Nope", "status")]
    [InlineData("/api/p2p/purchase-orders?status=1", "status")]
    [InlineData("/api/p2p/purchase-orders?status=Paid", "status")]
    [InlineData("/api/p2p/purchase-orders?supplierId=abc", "supplierId")]
    [InlineData("/api/p2p/purchase-orders?supplierId=0", "supplierId")]
    [InlineData("/api/p2p/purchase-orders?from=2026-13-01", "from")]
    [InlineData("/api/p2p/purchase-orders?to=24.11.2026", "to")]
    [InlineData("/api/p2p/purchase-orders?from=2026-06-01&to=2026-05-01", "from")]
    [InlineData("/api/p2p/purchase-orders?sort=bogus", "sort")]
    [InlineData("/api/p2p/purchase-orders?sort=dueDate", "sort")]
    [InlineData("/api/p2p/purchase-orders?order=sideways", "order")]
    [InlineData("/api/p2p/invoices?status=Open", "status")]
    [InlineData("/api/p2p/invoices?overdue=maybe", "overdue")]
    [InlineData("/api/p2p/invoices?overdue=1", "overdue")]
    [InlineData("/api/p2p/invoices?from=2026-02-30", "from")]
    [InlineData("/api/p2p/invoices?sort=orderDate", "sort")]
    [InlineData("/api/p2p/payments?sort=invoiceDate", "sort")]
    [InlineData("/api/p2p/payments?page=0", "page")]
    [InlineData("/api/p2p/payments?from=2026-06-01&to=2026-05-31", "from")]
    [InlineData("/api/p2p/suppliers?sort=country", "sort")]
    [InlineData("/api/p2p/suppliers?pageSize=101", "pageSize")]
    [InlineData("/api/p2p/suppliers?order=up", "order")]
    [InlineData("/api/p2p/spend/by-supplier?top=0", "top")]
    [InlineData("/api/p2p/spend/by-supplier?top=51", "top")]
    [InlineData("/api/p2p/spend/by-supplier?top=ten", "top")]
    [InlineData("/api/p2p/purchase-orders?page=1&page=2", "page")]
    [InlineData("/api/p2p/invoices?status=Paid&status=Approved", "status")]
    [InlineData("/api/p2p/payments?pageSize=%2B5", "pageSize")]
    [InlineData("/api/p2p/payments?pageSize=%205", "pageSize")]
    public async Task Lists_BadQueryValue_Return400ValidationProblem(string url, string parameter)
    {
        using var response = await _client.GetAsync(new Uri(url, UriKind.Relative), Ct);

        await ProblemAssert.IsValidationProblemAsync(response, parameter);
    }

    [Theory]
    [InlineData("/api/p2p/invoices?status=&overdue=&from=&pageSize=")]
    [InlineData("/api/p2p/invoices?status=paid&sort=DUEDATE&order=ASC&overdue=FALSE")]
    [InlineData("/api/p2p/purchase-orders?unknown=ignored")]
    public async Task Lists_EmptyOrDifferentlyCasedValues_AreAccepted(string url)
    {
        var page = await GetJsonAsync(url);

        Assert.Equal(JsonValueKind.Array, page.GetProperty("items").ValueKind);
    }

    [Fact]
    public async Task Aggregates_ZeroAmounts_StillHaveTwoDecimals()
    {
        var months = (await GetJsonAsync("/api/p2p/spend/by-month")).EnumerateArray();
        var summary = await GetJsonAsync("/api/p2p/summary");

        Assert.All(months, m => Assert.Matches(@"^\d+\.\d{2}$", m.GetProperty("spend").GetRawText()));
        Assert.Matches(@"^\d+\.\d{2}$", summary.GetProperty("total_spend").GetRawText());
        Assert.Equal("0.00", JsonSerializer.Serialize(global::AdminApi.Procurement.ProcurementQueries.Money(0m)));
    }

    [Fact]
    public async Task Suppliers_SearchLongerThan100_Return400ValidationProblem()
    {
        using var response = await _client.GetAsync(new Uri($"/api/p2p/suppliers?search={new string('a', 101)}", UriKind.Relative), Ct);

        await ProblemAssert.IsValidationProblemAsync(response, "search");
    }

    [Fact]
    public async Task Lists_SeveralBadValues_ReportEachParameter()
    {
        using var response = await _client.GetAsync(new Uri("/api/p2p/invoices?page=0&pageSize=abc&overdue=maybe&status=Nope", UriKind.Relative), Ct);

        foreach (var parameter in new[] { "page", "pageSize", "overdue", "status" })
        {
            await ProblemAssert.IsValidationProblemAsync(response, parameter);
        }
    }

    private async Task<List<JsonElement>> GetAllAsync(string url, int totalCount)
    {
        var all = new List<JsonElement>();
        for (var page = 1; all.Count < totalCount; page++)
        {
            var items = Items(await GetJsonAsync($"{url}?pageSize=100&page={page}"));
            Assert.NotEmpty(items);
            all.AddRange(items);
        }

        return all;
    }
}
