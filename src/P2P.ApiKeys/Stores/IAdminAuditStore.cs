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
}
