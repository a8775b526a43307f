using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace AdminApi.Procurement;

/// <summary>
/// How a query parameter that is bound as a raw string (see <see cref="QueryValueReader"/>) really reads, so the
/// OpenAPI document and Swagger UI show integers, dates, booleans and allowed values rather than "string".
/// </summary>
internal sealed record QueryParameterDoc(
    string Name,
    string Description,
    JsonSchemaType Type,
    string? Format = null,
    IReadOnlyList<string>? AllowedValues = null,
    int? Minimum = null,
    int? Maximum = null,
    string? Default = null)
{
    public static QueryParameterDoc Page { get; } =
        new("page", "Page number, from 1.", JsonSchemaType.Integer, "int32", Minimum: 1, Default: "1");

    public static QueryParameterDoc PageSize { get; } =
        new("pageSize", $"Items per page, 1 to {ListQuery.MaxPageSize}.", JsonSchemaType.Integer, "int32", Minimum: 1, Maximum: ListQuery.MaxPageSize, Default: "20");

    public static QueryParameterDoc SupplierId { get; } =
        new("supplierId", "Only rows of this supplier.", JsonSchemaType.Integer, "int32", Minimum: 1);

    public static QueryParameterDoc Search { get; } =
        new("search", "Only suppliers whose name contains this text (case-insensitive, at most 100 characters).", JsonSchemaType.String);

    public static QueryParameterDoc Overdue { get; } =
        new("overdue", "true: only unpaid, not rejected invoices past their due date; false: all others.", JsonSchemaType.Boolean);

    public static QueryParameterDoc Top { get; } =
        new("top", "How many suppliers, 1 to 50.", JsonSchemaType.Integer, "int32", Minimum: 1, Maximum: 50, Default: "10");

    public static QueryParameterDoc From(string dateName) =>
        new("from", $"Only rows whose {dateName} is on or after this date (yyyy-MM-dd).", JsonSchemaType.String, "date");

    public static QueryParameterDoc To(string dateName) =>
        new("to", $"Only rows whose {dateName} is on or before this date (yyyy-MM-dd).", JsonSchemaType.String, "date");

    public static QueryParameterDoc Order(string defaultOrder) =>
        new("order", "Sort direction.", JsonSchemaType.String, AllowedValues: ListQuery.Orders, Default: defaultOrder);

    public static QueryParameterDoc Sort(IReadOnlyList<string> sorts) =>
        new("sort", "Sort field.", JsonSchemaType.String, AllowedValues: sorts, Default: sorts[0]);

    public static QueryParameterDoc Status<TEnum>()
        where TEnum : struct, Enum =>
        new("status", "Only rows with this status.", JsonSchemaType.String, AllowedValues: Enum.GetNames<TEnum>());

    public void Apply(OpenApiParameter parameter)
    {
        parameter.Description = Description;
        parameter.Schema = new OpenApiSchema
        {
            Type = Type,
            Format = Format,
            Minimum = Minimum?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Maximum = Maximum?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Enum = AllowedValues?.Select(v => (JsonNode)JsonValue.Create(v)).ToList(),
            Default = Default is null ? null : Type switch
            {
                JsonSchemaType.Integer => JsonValue.Create(int.Parse(Default, System.Globalization.CultureInfo.InvariantCulture)),
                _ => JsonValue.Create(Default),
            },
        };
    }
}
