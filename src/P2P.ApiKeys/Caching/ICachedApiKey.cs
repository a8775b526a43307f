namespace P2P.ApiKeys.Caching;

/// <summary>What the verification cache needs of an entry: its lookup id and until when it may be served.</summary>
internal interface ICachedApiKey
{
    string LookupId { get; }

    DateTimeOffset CachedUntil { get; }
}
