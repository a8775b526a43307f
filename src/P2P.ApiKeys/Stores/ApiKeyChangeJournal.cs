namespace P2P.ApiKeys.Stores;

/// <summary>
/// What a key change leaves behind besides the key itself: its audit entry. An <see cref="IApiKeyJournalStore"/>
/// writes it in the same transaction as the change, so that a change is never stored without its entry, nor an entry
/// without its change.
/// </summary>
public sealed class ApiKeyChangeJournal
{
    /// <summary>The change's one audit entry.</summary>
    public required AdminAuditEntry Audit { get; init; }
}
