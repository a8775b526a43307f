using System.Text.Json.Serialization;

namespace P2P.ApiKeys.Admin.Keys;

/// <summary>A newly created or rotated key: the key's metadata and the full key, the only response that ever holds it.</summary>
public sealed class CreatedApiKeyResponse : ApiKeyResponse
{
    /// <summary>The full key: shown in this response only, never again.</summary>
    [JsonPropertyName("key")]
    [JsonPropertyOrder(-1)]
    public string Key { get; init; } = "";

    /// <summary>Creates an empty response, for deserialization.</summary>
    public CreatedApiKeyResponse()
    {
    }

    private CreatedApiKeyResponse(ApiKeyResponse metadata, string key)
        : base(metadata) => Key = key;

    internal static CreatedApiKeyResponse From(CreatedApiKey created, DateTimeOffset now) =>
        new(From(created.Record, now, usage: null), created.Key);

    /// <summary>The id and lookup id only: the key must not reach logs through a <c>ToString</c> of the response.</summary>
    /// <returns>A description of the response without the key.</returns>
    public override string ToString() => $"CreatedApiKeyResponse {{ Id = {Id}, LookupId = {LookupId} }}";
}
