using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Polly.CircuitBreaker;
using Polly.Timeout;
using P2P.Dashboard.Diagnostics;

namespace P2P.Dashboard.Api;

/// <summary>
/// Typed client for the P2P data endpoints of docs/p2p-api.md. The key travels in <c>X-API-Key</c>,
/// set once on the client by the registration; every failure becomes a
/// <see cref="ProcurementApiException"/> whose <see cref="ApiFailureKind"/> tells the page what to show.
/// </summary>
public sealed class ProcurementApiClient(HttpClient http, ILogger<ProcurementApiClient> logger)
{
    public const string HeaderName = "X-API-Key";

    // The API's convention (docs/p2p-api.md): snake_case names, as the admin endpoints.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public Uri BaseAddress => http.BaseAddress!;

    /// <summary>The dashboard's own key: its limits and requests today and over the last 7 days.</summary>
    public Task<KeySelf> GetKeySelfAsync(CancellationToken cancellationToken) =>
        GetAsync<KeySelf>("api/keys/self", [], cancellationToken);

    public Task<P2PSummary> GetSummaryAsync(CancellationToken cancellationToken) =>
        GetAsync<P2PSummary>("api/p2p/summary", [], cancellationToken);

    public Task<IReadOnlyList<SupplierSpend>> GetSpendBySupplierAsync(int top, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<SupplierSpend>>(
            "api/p2p/spend/by-supplier",
            [new("top", top.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            cancellationToken);

    public Task<IReadOnlyList<MonthlySpend>> GetSpendByMonthAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<MonthlySpend>>("api/p2p/spend/by-month", [], cancellationToken);

    public Task<IReadOnlyList<AgingBucket>> GetInvoiceAgingAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<AgingBucket>>("api/p2p/invoices/aging", [], cancellationToken);

    public Task<PagedResult<Supplier>> GetSuppliersAsync(SupplierQuery query, CancellationToken cancellationToken) =>
        GetAsync<PagedResult<Supplier>>("api/p2p/suppliers", query.ToParameters(), cancellationToken);

    public Task<PagedResult<PurchaseOrder>> GetPurchaseOrdersAsync(PurchaseOrderQuery query, CancellationToken cancellationToken) =>
        GetAsync<PagedResult<PurchaseOrder>>("api/p2p/purchase-orders", query.ToParameters(), cancellationToken);

    public Task<PagedResult<Invoice>> GetInvoicesAsync(InvoiceQuery query, CancellationToken cancellationToken) =>
        GetAsync<PagedResult<Invoice>>("api/p2p/invoices", query.ToParameters(), cancellationToken);

    public Task<PagedResult<Payment>> GetPaymentsAsync(PaymentQuery query, CancellationToken cancellationToken) =>
        GetAsync<PagedResult<Payment>>("api/p2p/payments", query.ToParameters(), cancellationToken);

    private async Task<T> GetAsync<T>(
        string path, IEnumerable<KeyValuePair<string, string?>> parameters, CancellationToken cancellationToken)
    {
        var uri = QueryHelpers.AddQueryString(path, parameters);
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception ex) when (IsUnreachable(ex, cancellationToken))
        {
            DashboardLog.ApiUnreachable(logger, BaseAddress, path, ex.GetType().Name);
            throw new ProcurementApiException(
                ApiFailureKind.Unreachable, BaseAddress, null, $"Cannot reach the API at {BaseAddress}.", ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                DashboardLog.ApiRefused(logger, BaseAddress, path, status);
                var kind = response.StatusCode switch
                {
                    HttpStatusCode.Unauthorized => ApiFailureKind.KeyRejected,
                    HttpStatusCode.Forbidden => ApiFailureKind.MissingScope,
                    HttpStatusCode.BadRequest => ApiFailureKind.BadRequest,
                    HttpStatusCode.TooManyRequests => ApiFailureKind.RateLimited,
                    _ => ApiFailureKind.ApiError,
                };
                throw new ProcurementApiException(kind, BaseAddress, status, $"The API answered {status} for {path}.", retryAfter: RetryAfter(response))
                {
                    Reasons = kind == ApiFailureKind.BadRequest ? await ReadReasonsAsync(response, cancellationToken) : [],
                    ViolatedPolicies = kind == ApiFailureKind.RateLimited ? await ReadViolatedPoliciesAsync(response, cancellationToken) : [],
                };
            }

            try
            {
                return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
                    ?? throw new JsonException("The answer was JSON null.");
            }
            catch (JsonException ex)
            {
                DashboardLog.ApiAnswerUnreadable(logger, BaseAddress, path, ex);
                throw new ProcurementApiException(
                    ApiFailureKind.ApiError, BaseAddress, (int)response.StatusCode,
                    $"The API's answer for {path} is not the documented JSON.", ex);
            }
        }
    }

    /// <summary>The <c>Retry-After</c> of a 429, in seconds or as a date.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>
    /// The messages of a problem answer (<c>errors</c> of a validation problem, else <c>detail</c>), at most a few
    /// short ones: the page shows the API's own words, and an answer that is not a problem shows none.
    /// </summary>
    private static async Task<IReadOnlyList<string>> ReadReasonsAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        const int MaxReasons = 5, MaxLength = 300;
        try
        {
            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            var root = document.RootElement;
            var reasons = new List<string>();
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                reasons.AddRange(errors.EnumerateObject()
                    .SelectMany(e => e.Value.ValueKind == JsonValueKind.Array ? e.Value.EnumerateArray() : Enumerable.Empty<JsonElement>())
                    .Where(m => m.ValueKind == JsonValueKind.String)
                    .Select(m => m.GetString()!));
            }

            if (reasons.Count == 0 && root.ValueKind == JsonValueKind.Object && root.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String)
            {
                reasons.Add(detail.GetString()!);
            }

            return reasons.Where(r => r.Length > 0).Take(MaxReasons).Select(r => r.Length <= MaxLength ? r : r[..MaxLength] + "…").ToList();
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>The <c>violated-policies</c> of a 429 problem (draft-ietf-httpapi-ratelimit-headers), at most a few short names.</summary>
    private static async Task<IReadOnlyList<string>> ReadViolatedPoliciesAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("violated-policies", out var policies) && policies.ValueKind == JsonValueKind.Array
                ? policies.EnumerateArray().Where(p => p.ValueKind == JsonValueKind.String).Select(p => p.GetString()!)
                    .Where(p => p.Length is > 0 and <= 64).Take(4).ToList()
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static bool IsUnreachable(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        HttpRequestException => true,
        TimeoutRejectedException => true,
        BrokenCircuitException => true,
        // HttpClient.Timeout surfaces as TaskCanceledException; a cancelled page request is not an outage.
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };
}
