using System.Text.Json.Serialization;

namespace AdminApi.Procurement;

/// <summary>Where a supplier invoice stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<InvoiceStatus>))]
public enum InvoiceStatus
{
    AwaitingApproval,
    Approved,
    Paid,
    Rejected,
}
