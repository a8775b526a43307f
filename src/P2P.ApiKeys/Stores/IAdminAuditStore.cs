namespace P2P.ApiKeys.Stores;

/// <summary>Append-only persistence of the admin audit trail.</summary>
public interface IAdminAuditStore
{
    /// <summary>Appends one entry.</summary>
    ValueTask AppendAsync(AdminAuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Counts the entries.</summary>
    ValueTask<long> CountAsync(CancellationToken cancellationToken);

    /// <summary>Lists entries newest first.</summary>
    IAsyncEnumerable<AdminAuditEntry> ListAsync(int skip, int take, CancellationToken cancellationToken);

    /// <summary>
    /// Lists up to <paramref name="take"/> entries that pass <paramref name="query"/>, newest first (time, then id), after
    /// its keyset position: one indexed query in the built-in stores. The default reads the whole trail and filters it in
    /// memory; a store of its own should override it.
    /// </summary>
    async IAsyncEnumerable<AdminAuditEntry> QueryAsync(AdminAuditQuery query, int take,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        var all = new List<AdminAuditEntry>();
        await foreach (var entry in ListAsync(0, int.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            all.Add(entry);
        }

        foreach (var entry in all.Where(query.Matches)
            .OrderByDescending(e => e.OccurredAt)
            .ThenByDescending(e => e.Id.ToString("N"), StringComparer.Ordinal)
            .Take(take))
        {
            yield return entry;
        }
    }
}
