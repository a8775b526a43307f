using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P2P.Dashboard.Api;
using P2P.Dashboard.Configuration;
using P2P.Dashboard.Tests.Infrastructure;

namespace P2P.Dashboard.Tests.Api;

/// <summary>The typed client, registered as the dashboard registers it, against the stub API over real HTTP.</summary>
public sealed class ProcurementApiClientTests : IAsyncLifetime
{
    private readonly string _key = TestKeys.New();
    private StubP2PApi _stub = default!;
    private ServiceProvider _services = default!;

    private ProcurementApiClient Client => _services.GetRequiredService<ProcurementApiClient>();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _stub = await StubP2PApi.StartAsync(_key);
        _services = Build(new DashboardSettings(_key, _stub.BaseUrl, null));
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _stub.DisposeAsync();
    }

    [Fact]
    public async Task GetSummaryAsync_ValidKey_MapsDocumentedJsonAndSendsKeyHeader()
    {
        var summary = await Client.GetSummaryAsync(Ct);

        Assert.Equal(1234567.89m, summary.TotalSpend);
        Assert.Equal(42, summary.OpenPurchaseOrders);
        Assert.Equal(17, summary.InvoicesAwaitingApproval);
        Assert.Equal(9, summary.OverdueInvoices);
        Assert.Equal(28.4, summary.AverageDaysInvoiceToPayment);
        Assert.Equal(new DateOnly(2026, 11, 24), summary.AsOf);
        Assert.All(_stub.Requests, r => Assert.True(r.HadExpectedKey));
    }

    [Fact]
    public async Task GetPurchaseOrdersAsync_FiltersSortAndPage_SentAsDocumentedQuery()
    {
        var result = await Client.GetPurchaseOrdersAsync(
            new PurchaseOrderQuery { Status = "Open", Sort = "amount", Order = "asc", Page = 2, PageSize = 5 }, Ct);

        Assert.Equal(2, result.Page);
        Assert.Equal(5, result.PageSize);
        Assert.Equal(12, result.Total);
        Assert.Equal(5, result.Items.Count);
        Assert.All(result.Items, po => Assert.Equal("Open", po.Status));
        Assert.Equal(result.Items.OrderBy(p => p.Amount).Select(p => p.Id), result.Items.Select(p => p.Id));
        Assert.Contains(_stub.Requests, r => r.Request == "GET /api/p2p/purchase-orders?page=2&pageSize=5&sort=amount&order=asc&status=Open");
    }

    [Fact]
    public async Task GetInvoicesAsync_OverdueFilter_ReturnsOnlyOverdue()
    {
        var result = await Client.GetInvoicesAsync(new InvoiceQuery { Overdue = true, PageSize = 100 }, Ct);

        Assert.NotEmpty(result.Items);
        Assert.All(result.Items, i => Assert.True(i.DaysOverdue > 0));
    }

    [Fact]
    public async Task GetChartsAsync_ValidKey_MapsAllAggregates()
    {
        Assert.Equal(10, (await Client.GetSpendBySupplierAsync(10, Ct)).Count);
        Assert.Equal(12, (await Client.GetSpendByMonthAsync(Ct)).Count);
        Assert.Equal(["Current", "1-30", "31-60", "61-90", "90+"], (await Client.GetInvoiceAgingAsync(Ct)).Select(b => b.Bucket));
        Assert.Equal(12, (await Client.GetSuppliersAsync(new SupplierQuery { PageSize = 100 }, Ct)).Total);
        Assert.NotEmpty((await Client.GetPaymentsAsync(new PaymentQuery(), Ct)).Items);
    }

    [Theory]
    [InlineData(StubMode.KeyRevoked, ApiFailureKind.KeyRejected)]
    [InlineData(StubMode.MissingScope, ApiFailureKind.MissingScope)]
    public async Task GetSummaryAsync_KeyRefused_FailsOnceWithoutRetry(StubMode mode, ApiFailureKind expected)
    {
        _stub.Mode = mode;

        var ex = await Assert.ThrowsAsync<ProcurementApiException>(() => Client.GetSummaryAsync(Ct));

        Assert.Equal(expected, ex.Kind);
        Assert.Single(_stub.Requests);
        Assert.DoesNotContain(_key, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSummaryAsync_RateLimited_FailsOnceWithRetryAfter()
    {
        _stub.Mode = StubMode.RateLimited;

        for (var i = 0; i < 8; i++)
        {
            var ex = await Assert.ThrowsAsync<ProcurementApiException>(() => Client.GetSummaryAsync(Ct));
            Assert.Equal(ApiFailureKind.RateLimited, ex.Kind);
            Assert.Equal(TimeSpan.FromSeconds(17), ex.RetryAfter);
        }

        // Never retried, and never taken for an outage: eight calls, eight requests, no open circuit.
        Assert.Equal(8, _stub.Requests.Count);
    }

    [Fact]
    public async Task GetSummaryAsync_OwnerQuotaExhausted_NamesTheOwnersPolicy()
    {
        _stub.Mode = StubMode.OwnerQuotaExhausted;

        var ex = await Assert.ThrowsAsync<ProcurementApiException>(() => Client.GetSummaryAsync(Ct));

        Assert.Equal(ApiFailureKind.RateLimited, ex.Kind);
        Assert.Equal(["owner_quota"], ex.ViolatedPolicies);
        Assert.True(ex.OwnerBudgetExhausted);
    }

    [Fact]
    public async Task GetSummaryAsync_StoreDown_RetriesThenReportsApiError()
    {
        _stub.Mode = StubMode.StoreDown;

        var ex = await Assert.ThrowsAsync<ProcurementApiException>(() => Client.GetSummaryAsync(Ct));

        Assert.Equal(ApiFailureKind.ApiError, ex.Kind);
        Assert.Equal(503, ex.StatusCode);
        Assert.Equal(3, _stub.Requests.Count); // the first try and two retries
    }

    [Fact]
    public async Task GetSummaryAsync_ApiStopped_ReportsUnreachable()
    {
        await _stub.StopAsync();

        // Gives up instead of retrying forever; the minute only tells "gives up" from "hangs", it times nothing.
        var ex = await Assert.ThrowsAsync<ProcurementApiException>(() => Client.GetSummaryAsync(Ct).WaitAsync(TimeSpan.FromMinutes(1), Ct));

        Assert.Equal(ApiFailureKind.Unreachable, ex.Kind);
        Assert.Equal(_stub.BaseUrl, ex.ApiBaseUrl);
    }

    [Fact]
    public async Task GetPurchaseOrdersAsync_ValueTheApiRejects_ReportsBadRequestWithTheApisReason()
    {
        var ex = await Assert.ThrowsAsync<ProcurementApiException>(
            () => Client.GetPurchaseOrdersAsync(new PurchaseOrderQuery { Status = "Lost" }, Ct));

        Assert.Equal(ApiFailureKind.BadRequest, ex.Kind);
        Assert.Equal(["The value of 'status' is not valid."], ex.Reasons);
    }

    [Fact]
    public async Task GetSummaryAsync_ApiRedirectsToAnotherOrigin_NotFollowedAndKeyNeverSentThere()
    {
        // docs/security.md rule 26: a 302 from the API to another origin must not receive X-API-Key.
        var elsewhere = new ConcurrentQueue<string>();
        await using var other = await StartAsync(app => app.Run(context =>
        {
            elsewhere.Enqueue(context.Request.Headers["X-API-Key"].ToString());
            return context.Response.WriteAsync("{}");
        }));
        var target = new Uri(new Uri(other.Urls.First().Replace("127.0.0.1", "localhost", StringComparison.Ordinal)), "/api/p2p/summary");
        await using var redirecting = await StartAsync(app => app.Run(context =>
        {
            context.Response.Redirect(target.AbsoluteUri);
            return Task.CompletedTask;
        }));
        await using var services = Build(new DashboardSettings(_key, new Uri(redirecting.Urls.First() + "/"), null));

        var failure = await Assert.ThrowsAsync<ProcurementApiException>(() => services.GetRequiredService<ProcurementApiClient>().GetSummaryAsync(Ct));

        Assert.Equal(ApiFailureKind.ApiError, failure.Kind);
        Assert.Equal(302, failure.StatusCode);
        Assert.Empty(elsewhere);
    }

    private static async Task<WebApplication> StartAsync(Action<WebApplication> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        configure(app);
        await app.StartAsync(Ct);
        return app;
    }

    private static ServiceProvider Build(DashboardSettings settings)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddProcurementApiClient(settings);
        return services.BuildServiceProvider();
    }
}
