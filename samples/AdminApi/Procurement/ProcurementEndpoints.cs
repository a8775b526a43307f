using AdminApi.Procurement;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.OpenApi;

namespace Microsoft.AspNetCore.Routing;

/// <summary>Maps the procure-to-pay data routes that the dashboard reads (contract: <c>docs/p2p-api.md</c>).</summary>
public static class ProcurementEndpoints
{
    /// <summary>The OpenAPI tag of every data route.</summary>
    public const string Tag = "Procure-to-Pay Data";

    /// <summary>
    /// Maps <c>/api/p2p/*</c> and returns the group, so the host can protect all routes at once, e.g.
    /// <c>app.MapProcurementEndpoints().RequireApiKeyScope("p2p:read")</c>.
    /// </summary>
    public static RouteGroupBuilder MapProcurementEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // 401/403/503 come from the API-key handler and the store, not from these handlers; declared here so
        // the contract (docs/p2p-api.md) is visible in Swagger UI and in the approved OpenAPI snapshot.
        var group = endpoints.MapGroup("/api/p2p")
            .WithTags(Tag)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapGet("/summary", (ProcurementQueries q) => TypedResults.Ok(q.Summary()))
            .WithName("GetP2PSummary")
            .WithSummary("Headline KPIs")
            .WithDescription("Total spend (sum of payments), open purchase orders, invoices awaiting approval, overdue invoices and the average days from invoice to payment.");

        group.MapGet("/spend/by-supplier", Results<Ok<IReadOnlyList<SupplierSpend>>, ValidationProblem> (ProcurementQueries q, string? top) =>
            {
                var reader = new QueryValueReader();
                var count = reader.Integer("top", top, 10, 1, 50);
                return reader.HasErrors ? TypedResults.ValidationProblem(reader.Errors) : TypedResults.Ok(q.SpendBySupplier(count));
            })
            .WithName("GetP2PSpendBySupplier")
            .WithSummary("Spend by supplier, highest first")
            .DescribeQuery(QueryParameterDoc.Top);

        group.MapGet("/spend/by-month", (ProcurementQueries q) => TypedResults.Ok(q.SpendByMonth()))
            .WithName("GetP2PSpendByMonth")
            .WithSummary("Spend by month")
            .WithDescription("The twelve calendar months up to today, oldest first; months without payments have spend 0.");

        group.MapGet("/invoices/aging", (ProcurementQueries q) => TypedResults.Ok(q.InvoiceAging()))
            .WithName("GetP2PInvoiceAging")
            .WithSummary("Invoice aging buckets")
            .WithDescription("Unpaid, not rejected invoices by days past due, in the buckets Current, 1-30, 31-60, 61-90 and 90+.");

        group.MapGet("/suppliers", Results<Ok<PagedResult<Supplier>>, ValidationProblem> (
                ProcurementQueries q, string? page, string? pageSize, string? sort, string? order, string? search) =>
            {
                var reader = new QueryValueReader();
                var query = ListQuery.Read(reader, page, pageSize, sort, order, ProcurementQueries.SupplierSorts, "asc");
                var text = reader.Text("search", search, 100);
                return reader.HasErrors ? TypedResults.ValidationProblem(reader.Errors) : TypedResults.Ok(q.Suppliers(query, text));
            })
            .WithName("ListP2PSuppliers")
            .WithSummary("Suppliers, paged")
            .DescribeQuery(
                QueryParameterDoc.Page,
                QueryParameterDoc.PageSize,
                QueryParameterDoc.Sort(ProcurementQueries.SupplierSorts),
                QueryParameterDoc.Order("asc"),
                QueryParameterDoc.Search);

        group.MapGet("/purchase-orders", Results<Ok<PagedResult<PurchaseOrder>>, ValidationProblem> (
                ProcurementQueries q, string? page, string? pageSize, string? sort, string? order, string? status, string? supplierId, string? from, string? to) =>
            {
                var reader = new QueryValueReader();
                var query = ListQuery.Read(reader, page, pageSize, sort, order, ProcurementQueries.PurchaseOrderSorts, "desc", from, to);
                var statusValue = reader.Enum<PurchaseOrderStatus>("status", status);
                var supplier = reader.OptionalId("supplierId", supplierId);
                return reader.HasErrors ? TypedResults.ValidationProblem(reader.Errors) : TypedResults.Ok(q.PurchaseOrders(query, statusValue, supplier));
            })
            .WithName("ListP2PPurchaseOrders")
            .WithSummary("Purchase orders, paged")
            .DescribeQuery(
                QueryParameterDoc.Page,
                QueryParameterDoc.PageSize,
                QueryParameterDoc.Sort(ProcurementQueries.PurchaseOrderSorts),
                QueryParameterDoc.Order("desc"),
                QueryParameterDoc.Status<PurchaseOrderStatus>(),
                QueryParameterDoc.SupplierId,
                QueryParameterDoc.From("order date"),
                QueryParameterDoc.To("order date"));

        group.MapGet("/invoices", Results<Ok<PagedResult<Invoice>>, ValidationProblem> (
                ProcurementQueries q, string? page, string? pageSize, string? sort, string? order, string? status, string? supplierId, string? from, string? to, string? overdue) =>
            {
                var reader = new QueryValueReader();
                var query = ListQuery.Read(reader, page, pageSize, sort, order, ProcurementQueries.InvoiceSorts, "desc", from, to);
                var statusValue = reader.Enum<InvoiceStatus>("status", status);
                var supplier = reader.OptionalId("supplierId", supplierId);
                var overdueValue = reader.Boolean("overdue", overdue);
                return reader.HasErrors ? TypedResults.ValidationProblem(reader.Errors) : TypedResults.Ok(q.Invoices(query, statusValue, supplier, overdueValue));
            })
            .WithName("ListP2PInvoices")
            .WithSummary("Invoices, paged")
            .DescribeQuery(
                QueryParameterDoc.Page,
                QueryParameterDoc.PageSize,
                QueryParameterDoc.Sort(ProcurementQueries.InvoiceSorts),
                QueryParameterDoc.Order("desc"),
                QueryParameterDoc.Status<InvoiceStatus>(),
                QueryParameterDoc.SupplierId,
                QueryParameterDoc.From("invoice date"),
                QueryParameterDoc.To("invoice date"),
                QueryParameterDoc.Overdue);

        group.MapGet("/payments", Results<Ok<PagedResult<Payment>>, ValidationProblem> (
                ProcurementQueries q, string? page, string? pageSize, string? sort, string? order, string? supplierId, string? from, string? to) =>
            {
                var reader = new QueryValueReader();
                var query = ListQuery.Read(reader, page, pageSize, sort, order, ProcurementQueries.PaymentSorts, "desc", from, to);
                var supplier = reader.OptionalId("supplierId", supplierId);
                return reader.HasErrors ? TypedResults.ValidationProblem(reader.Errors) : TypedResults.Ok(q.Payments(query, supplier));
            })
            .WithName("ListP2PPayments")
            .WithSummary("Payments, paged")
            .DescribeQuery(
                QueryParameterDoc.Page,
                QueryParameterDoc.PageSize,
                QueryParameterDoc.Sort(ProcurementQueries.PaymentSorts),
                QueryParameterDoc.Order("desc"),
                QueryParameterDoc.SupplierId,
                QueryParameterDoc.From("payment date"),
                QueryParameterDoc.To("payment date"));

        return group;
    }

    private static RouteHandlerBuilder DescribeQuery(this RouteHandlerBuilder builder, params QueryParameterDoc[] docs) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
            {
                if (parameter.In == ParameterLocation.Query && docs.FirstOrDefault(d => d.Name == parameter.Name) is { } doc)
                {
                    doc.Apply(parameter);
                }
            }

            return Task.CompletedTask;
        });
}
