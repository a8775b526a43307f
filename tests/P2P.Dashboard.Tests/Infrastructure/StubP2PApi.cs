using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace P2P.Dashboard.Tests.Infrastructure;

/// <summary>How the stub answers every data request, whatever the key.</summary>
public enum StubMode
{
    /// <summary>The expected key gets data; any other key gets 401.</summary>
    Normal,

    /// <summary>401 for every key, as after the admin revoked it.</summary>
    KeyRevoked,

    /// <summary>403: a valid key without scope <c>p2p:read</c>.</summary>
    MissingScope,

    /// <summary>503: the API's store is down.</summary>
    StoreDown,

    /// <summary>429 with <c>Retry-After: 17</c>: the key's rate limit is used up.</summary>
    RateLimited,

    /// <summary>429 with <c>Retry-After: 17</c> and <c>violated-policies: ["owner_quota"]</c>: the owner's shared quota is used up.</summary>
    OwnerQuotaExhausted,
}

/// <summary>
/// The P2P data API of docs/p2p-api.md with fixed data, on Kestrel at 127.0.0.1 and a free port:
/// the remote HTTP boundary the dashboard calls, while the real AdminApi is built elsewhere.
/// </summary>
internal sealed class StubP2PApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StubP2PApi(WebApplication app, string expectedKey)
    {
        _app = app;
        ExpectedKey = expectedKey;
    }

    public string ExpectedKey { get; }

    public StubMode Mode { get; set; } = StubMode.Normal;

    /// <summary>Added before every answer, to watch the dashboard's loading states.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    public Uri BaseUrl { get; private set; } = default!;

    /// <summary>Every request as <c>METHOD path?query</c>, with whether it carried the expected key.</summary>
    public ConcurrentQueue<(string Request, bool HadExpectedKey)> Requests { get; } = new();

    public static async Task<StubP2PApi> StartAsync(string expectedKey)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        // The real API's convention: snake_case names (the stub's C# names are camelCase, the policy converts them).
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower);
        var app = builder.Build();
        var stub = new StubP2PApi(app, expectedKey);
        stub.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        stub.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return stub;
    }

    /// <summary>While set and not completed, every request waits for it: a page is caught loading, whatever the machine's speed.</summary>
    public TaskCompletionSource? Hold { get; set; }

    public async Task StopAsync() => await _app.StopAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var key = context.Request.Headers["X-API-Key"].ToString();
            var ok = string.Equals(key, ExpectedKey, StringComparison.Ordinal);
            Requests.Enqueue(($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}", ok));
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, context.RequestAborted);
            }

            if (Hold is { } hold)
            {
                await hold.Task.WaitAsync(context.RequestAborted);
            }

            if (!ok || Mode == StubMode.KeyRevoked)
            {
                context.Response.Headers.WWWAuthenticate = "ApiKey";
                await Results.Problem(statusCode: 401, title: "Unauthorized").ExecuteAsync(context);
                return;
            }

            if (Mode == StubMode.MissingScope)
            {
                await Results.Problem(statusCode: 403, title: "Forbidden").ExecuteAsync(context);
                return;
            }

            if (Mode == StubMode.RateLimited)
            {
                context.Response.Headers.RetryAfter = "17";
                await Results.Problem(statusCode: 429, title: "Too Many Requests").ExecuteAsync(context);
                return;
            }

            if (Mode == StubMode.OwnerQuotaExhausted)
            {
                context.Response.Headers.RetryAfter = "17";
                await Results.Problem(statusCode: 429, title: "Too Many Requests", extensions: new Dictionary<string, object?> { ["violated-policies"] = new[] { "owner_quota" } })
                    .ExecuteAsync(context);
                return;
            }

            if (Mode == StubMode.StoreDown)
            {
                await Results.Problem(statusCode: 503, title: "Store unavailable").ExecuteAsync(context);
                return;
            }

            await next(context);
        });

        // What AdminApi's app.MapApiKeySelfEndpoint() answers for the dashboard's key (docs/usage.md).
        app.MapGet("/api/keys/self", () => Results.Json(StubP2PData.KeySelf(), StubP2PData.SnakeCase));

        var api = app.MapGroup("/api/p2p");
        api.MapGet("/summary", () => Results.Json(StubP2PData.Summary));
        api.MapGet("/spend/by-supplier", (int? top) =>
            top is < 1 or > 50 ? BadQuery("top") : Results.Json(StubP2PData.SpendBySupplier.Take(top ?? 10)));
        api.MapGet("/spend/by-month", () => Results.Json(StubP2PData.SpendByMonth));
        api.MapGet("/invoices/aging", () => Results.Json(StubP2PData.Aging));

        api.MapGet("/suppliers", (HttpRequest r) =>
        {
            var search = r.Query["search"].ToString();
            var items = StubP2PData.Suppliers
                .Where(s => search.Length == 0 || s.Name.Contains(search, StringComparison.OrdinalIgnoreCase))
                .Select(s => new { id = s.Id, name = s.Name, category = s.Category, country = s.Country, paymentTermsDays = s.Terms, sortKey = (IComparable)s.Name });
            return Page(r, items, "name", "asc", ["name"], x => x.sortKey, x => new { x.id, x.name, x.category, x.country, x.paymentTermsDays });
        });

        api.MapGet("/purchase-orders", (HttpRequest r) =>
        {
            if (!TryFilter(r, StubP2PData.PurchaseOrderStatuses, out var status, out var supplierId, out var from, out var to, out var bad))
            {
                return bad!;
            }

            var items = StubP2PData.PurchaseOrders.Where(p =>
                (status is null || p.Status == status) && (supplierId is null || p.SupplierId == supplierId)
                && (from is null || p.OrderDate >= from) && (to is null || p.OrderDate <= to));
            return Page(r, items, "orderDate", "desc", ["orderDate", "amount", "supplier", "number"],
                p => r.Query["sort"].ToString() switch
                {
                    "amount" => p.Amount,
                    "supplier" => p.SupplierName,
                    "number" => p.Number,
                    _ => p.OrderDate,
                },
                p => p.Json);
        });

        api.MapGet("/invoices", (HttpRequest r) =>
        {
            if (!TryFilter(r, StubP2PData.InvoiceStatuses, out var status, out var supplierId, out var from, out var to, out var bad))
            {
                return bad!;
            }

            var overdueText = r.Query["overdue"].ToString();
            if (overdueText is not ("" or "true" or "false"))
            {
                return BadQuery("overdue");
            }

            var items = StubP2PData.Invoices.Where(i =>
                (status is null || i.Status == status) && (supplierId is null || i.SupplierId == supplierId)
                && (from is null || i.InvoiceDate >= from) && (to is null || i.InvoiceDate <= to)
                && (overdueText.Length == 0 || (i.DaysOverdue > 0) == (overdueText == "true")));
            return Page(r, items, "invoiceDate", "desc", ["invoiceDate", "dueDate", "amount", "supplier", "number"],
                i => r.Query["sort"].ToString() switch
                {
                    "dueDate" => i.DueDate,
                    "amount" => i.Amount,
                    "supplier" => i.SupplierName,
                    "number" => i.Number,
                    _ => i.InvoiceDate,
                },
                i => i.Json);
        });

        api.MapGet("/payments", (HttpRequest r) =>
        {
            if (!TryFilter(r, [], out _, out var supplierId, out var from, out var to, out var bad))
            {
                return bad!;
            }

            var items = StubP2PData.Payments.Where(p =>
                (supplierId is null || p.SupplierId == supplierId) && (from is null || p.PaymentDate >= from) && (to is null || p.PaymentDate <= to));
            return Page(r, items, "paymentDate", "desc", ["paymentDate", "amount"],
                p => r.Query["sort"].ToString() == "amount" ? p.Amount : p.PaymentDate,
                p => p.Json);
        });
    }

    private static IResult BadQuery(string name) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [name] = [$"The value of '{name}' is not valid."] });

    private static bool TryFilter(HttpRequest r, string[] statuses, out string? status, out int? supplierId,
        out DateOnly? from, out DateOnly? to, out IResult? bad)
    {
        status = null;
        supplierId = null;
        from = to = null;
        bad = null;
        var q = r.Query;
        if (q["status"].ToString() is { Length: > 0 } s)
        {
            if (!statuses.Contains(s))
            {
                bad = BadQuery("status");
                return false;
            }

            status = s;
        }

        if (q["supplierId"].ToString() is { Length: > 0 } sid)
        {
            if (!int.TryParse(sid, CultureInfo.InvariantCulture, out var id))
            {
                bad = BadQuery("supplierId");
                return false;
            }

            supplierId = id;
        }

        if (!TryDate(q["from"].ToString(), out from) || !TryDate(q["to"].ToString(), out to))
        {
            bad = BadQuery(from is null ? "from" : "to");
            return false;
        }

        if (from > to)
        {
            // The real API's words (samples/AdminApi/Procurement/QueryValueReader.cs).
            bad = Results.ValidationProblem(new Dictionary<string, string[]> { ["from"] = ["'from' must not be after 'to'."] });
            return false;
        }

        return true;
    }

    private static bool TryDate(string text, out DateOnly? date)
    {
        date = null;
        if (text.Length == 0)
        {
            return true;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            date = d;
            return true;
        }

        return false;
    }

    private static IResult Page<T>(HttpRequest r, IEnumerable<T> items, string defaultSort, string defaultOrder,
        string[] sorts, Func<T, IComparable> sortKey, Func<T, object> json)
    {
        var q = r.Query;
        var page = 1;
        var pageSize = 20;
        if (q["page"].ToString() is { Length: > 0 } p && (!int.TryParse(p, CultureInfo.InvariantCulture, out page) || page < 1))
        {
            return BadQuery("page");
        }

        if (q["pageSize"].ToString() is { Length: > 0 } ps && (!int.TryParse(ps, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > 100))
        {
            return BadQuery("pageSize");
        }

        var sort = q["sort"].ToString() is { Length: > 0 } so ? so : defaultSort;
        if (!sorts.Contains(sort))
        {
            return BadQuery("sort");
        }

        var order = q["order"].ToString() is { Length: > 0 } o ? o : defaultOrder;
        if (order is not ("asc" or "desc"))
        {
            return BadQuery("order");
        }

        var list = items.ToList();
        var sorted = order == "asc" ? list.OrderBy(sortKey) : list.OrderByDescending(sortKey);
        return Results.Json(new
        {
            items = sorted.Skip((page - 1) * pageSize).Take(pageSize).Select(json).ToList(),
            page,
            pageSize,
            total = list.Count,
        });
    }
}
