namespace P2P.ApiKeys.Stores;

/// <summary>
/// What a key change leaves behind besides the key itself: its audit entry and its events (outbox rows). An
/// <see cref="IApiKeyJournalStore"/> writes them in the same transaction as the change, so that a change is never stored
/// without them, nor they without the change.
/// </summary>
public sealed class ApiKeyChangeJournal
{
    /// <summary>The change's one audit entry.</summary>
    public required AdminAuditEntry Audit { get; init; }

    /// <summary>The change's events, for the outbox (usually one; a leak that revokes a key has two).</summary>
    public IReadOnlyList<ApiKeyEventRecord> Events { get; init; } = [];
}
