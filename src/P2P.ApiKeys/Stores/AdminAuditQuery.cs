namespace P2P.ApiKeys.Stores;

/// <summary>
/// A filter over the audit trail and a keyset position: entries newest first (by <see cref="AdminAuditEntry.OccurredAt"/>,
/// then <see cref="AdminAuditEntry.Id"/>), only those that match every given property, starting after the entry
/// <see cref="AfterOccurredAt"/>/<see cref="AfterId"/> (the last one of the previous page). A <see langword="null"/> property
/// does not filter.
/// </summary>
public sealed class AdminAuditQuery
{
    /// <summary>Only entries about this key (<see cref="AdminAuditEntry.KeyId"/>).</summary>
    public Guid? KeyId { get; init; }

    /// <summary>Only entries about keys of this owner (<see cref="AdminAuditEntry.Owner"/>, ordinal).</summary>
    public string? Owner { get; init; }

    /// <summary>Only entries by this actor (<see cref="AdminAuditEntry.Actor"/>, ordinal: an admin's name, a key id …).</summary>
    public string? Actor { get; init; }

    /// <summary>Only entries of this action (<see cref="AdminAuditEntry.Action"/>, ordinal), for example <c>key.revoked</c>.</summary>
    public string? Action { get; init; }

    /// <summary>Only entries at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Only entries before this time.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>The time of the last entry already read; with <see cref="AfterId"/>, the page starts after it.</summary>
    public DateTimeOffset? AfterOccurredAt { get; init; }

    /// <summary>The id of the last entry already read.</summary>
    public Guid? AfterId { get; init; }

    /// <summary>Whether <paramref name="entry"/> passes the filter and comes after the keyset position.</summary>
    /// <param name="entry">An entry.</param>
    /// <returns><see langword="true"/> when it belongs on this page or a later one.</returns>
    public bool Matches(AdminAuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return (KeyId is null || entry.KeyId == KeyId)
            && (Owner is null || string.Equals(entry.Owner, Owner, StringComparison.Ordinal))
            && (Actor is null || string.Equals(entry.Actor, Actor, StringComparison.Ordinal))
            && (Action is null || string.Equals(entry.Action, Action, StringComparison.Ordinal))
            && (From is null || entry.OccurredAt >= From)
            && (To is null || entry.OccurredAt < To)
            && (AfterOccurredAt is not { } t || AfterId is not { } id
                || entry.OccurredAt < t || (entry.OccurredAt == t && CompareIds(entry.Id, id) < 0));
    }

    /// <summary>
    /// Orders ids as databases order them (the bytes in their textual order: PostgreSQL's <c>uuid</c>, SQLite's text), which
    /// for version-7 ids is the order they were made in.
    /// </summary>
    /// <param name="a">An id.</param>
    /// <param name="b">Another id.</param>
    /// <returns>Negative, zero or positive.</returns>
    public static int CompareIds(Guid a, Guid b) =>
        string.CompareOrdinal(a.ToString("N"), b.ToString("N"));
}
