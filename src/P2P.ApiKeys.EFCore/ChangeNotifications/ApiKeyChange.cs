namespace P2P.ApiKeys.EFCore.ChangeNotifications;

/// <summary>One row of the change feed <c>p2p_api_key_changes</c>: the key with <see cref="LookupId"/> changed.</summary>
internal sealed class ApiKeyChange
{
    /// <summary>Longer than any lookup id the library mints.</summary>
    public const int MaxLookupIdLength = 64;

    /// <summary>Database-generated, increasing; the pollers' cursor.</summary>
    public long Id { get; set; }

    public required string LookupId { get; set; }

    /// <summary>When the writing node made the change, by its clock; for the look-back window and pruning.</summary>
    public DateTimeOffset ChangedAt { get; set; }
}
