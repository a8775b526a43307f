using System.Text.Json.Serialization;

namespace AdminApi.Procurement;

/// <summary>Where a purchase order stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PurchaseOrderStatus>))]
public enum PurchaseOrderStatus
{
    Open,
    Received,
    Closed,
    Cancelled,
}
