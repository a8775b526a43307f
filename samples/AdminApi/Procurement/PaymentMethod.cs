using System.Text.Json.Serialization;

namespace AdminApi.Procurement;

/// <summary>How a payment was made.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PaymentMethod>))]
public enum PaymentMethod
{
    [JsonStringEnumMemberName("ACH")]
    Ach,
    Wire,
    Card,
    Check,
}
