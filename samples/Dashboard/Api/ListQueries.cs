using System.Globalization;

namespace P2P.Dashboard.Api;

/// <summary>The paging and sorting parameters every list of docs/p2p-api.md takes.</summary>
public abstract record ListQuery
{
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 20;

    /// <summary>Sort field, one of the list's <see cref="SortFields"/>; <see langword="null"/> = the API's default.</summary>
    public string? Sort { get; init; }

    /// <summary><c>asc</c> or <c>desc</c>; <see langword="null"/> = the API's default.</summary>
    public string? Order { get; init; }

    public abstract IReadOnlyList<string> SortFields { get; }

    /// <summary>The query string parameters, leaving out what is unset so the API applies its defaults.</summary>
    public virtual IEnumerable<KeyValuePair<string, string?>> ToParameters()
    {
        yield return new("page", Page.ToString(CultureInfo.InvariantCulture));
        yield return new("pageSize", PageSize.ToString(CultureInfo.InvariantCulture));
        if (Sort is not null)
        {
            yield return new("sort", Sort);
        }

        if (Order is not null)
        {
            yield return new("order", Order);
        }
    }

    protected static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

public sealed record SupplierQuery : ListQuery
{
    public string? Search { get; init; }

    public override IReadOnlyList<string> SortFields => ["name"];

    public override IEnumerable<KeyValuePair<string, string?>> ToParameters()
    {
        foreach (var p in base.ToParameters())
        {
            yield return p;
        }

        if (!string.IsNullOrWhiteSpace(Search))
        {
            yield return new("search", Search);
        }
    }
}

public sealed record PurchaseOrderQuery : ListQuery
{
    public static readonly IReadOnlyList<string> Statuses = ["Open", "Received", "Closed", "Cancelled"];

    public string? Status { get; init; }
    public int? SupplierId { get; init; }
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }

    public override IReadOnlyList<string> SortFields => ["orderDate", "amount", "supplier", "number"];

    public override IEnumerable<KeyValuePair<string, string?>> ToParameters()
    {
        foreach (var p in base.ToParameters())
        {
            yield return p;
        }

        if (Status is not null)
        {
            yield return new("status", Status);
        }

        if (SupplierId is { } supplierId)
        {
            yield return new("supplierId", supplierId.ToString(CultureInfo.InvariantCulture));
        }

        if (From is { } from)
        {
            yield return new("from", Date(from));
        }

        if (To is { } to)
        {
            yield return new("to", Date(to));
        }
    }
}

public sealed record InvoiceQuery : ListQuery
{
    public static readonly IReadOnlyList<string> Statuses = ["AwaitingApproval", "Approved", "Paid", "Rejected"];

    public string? Status { get; init; }
    public int? SupplierId { get; init; }
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    public bool? Overdue { get; init; }

    public override IReadOnlyList<string> SortFields => ["invoiceDate", "dueDate", "amount", "supplier", "number"];

    public override IEnumerable<KeyValuePair<string, string?>> ToParameters()
    {
        foreach (var p in base.ToParameters())
        {
            yield return p;
        }

        if (Status is not null)
        {
            yield return new("status", Status);
        }

        if (SupplierId is { } supplierId)
        {
            yield return new("supplierId", supplierId.ToString(CultureInfo.InvariantCulture));
        }

        if (From is { } from)
        {
            yield return new("from", Date(from));
        }

        if (To is { } to)
        {
            yield return new("to", Date(to));
        }

        if (Overdue is { } overdue)
        {
            yield return new("overdue", overdue ? "true" : "false");
        }
    }
}

public sealed record PaymentQuery : ListQuery
{
    public int? SupplierId { get; init; }
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }

    public override IReadOnlyList<string> SortFields => ["paymentDate", "amount"];

    public override IEnumerable<KeyValuePair<string, string?>> ToParameters()
    {
        foreach (var p in base.ToParameters())
        {
            yield return p;
        }

        if (SupplierId is { } supplierId)
        {
            yield return new("supplierId", supplierId.ToString(CultureInfo.InvariantCulture));
        }

        if (From is { } from)
        {
            yield return new("from", Date(from));
        }

        if (To is { } to)
        {
            yield return new("to", Date(to));
        }
    }
}
