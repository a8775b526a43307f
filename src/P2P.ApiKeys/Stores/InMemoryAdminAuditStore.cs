using System.Runtime.CompilerServices;

namespace P2P.ApiKeys.Stores;

/// <summary>Thread-safe, process-local <see cref="IAdminAuditStore"/>.</summary>
internal sealed class InMemoryAdminAuditStore : IAdminAuditStore
{
    private readonly Lock _gate = new();
    private readonly List<AdminAuditEntry> _entries = [];

    public ValueTask AppendAsync(AdminAuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        cancellationToken.ThrowIfCancellationRequested();
        Append(entry);
        return ValueTask.CompletedTask;
    }

    /// <summary>Appends at once: the in-memory key store calls it under its own lock, with the change it records.</summary>
    internal void Append(AdminAuditEntry entry)
    {
        lock (_gate)
        {
            _entries.Add(Copy(entry));
        }
    }

    public async IAsyncEnumerable<AdminAuditEntry> QueryAsync(AdminAuditQuery query, int take, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        cancellationToken.ThrowIfCancellationRequested();
        AdminAuditEntry[] page;
        lock (_gate)
        {
            page = [.. _entries.Where(query.Matches)
                .OrderByDescending(e => e.OccurredAt)
                .ThenByDescending(e => e.Id.ToString("N"), StringComparer.Ordinal)
                .Take(take)
                .Select(Copy)];
        }

        foreach (var entry in page)
        {
            yield return entry;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public ValueTask<long> CountAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult((long)_entries.Count);
        }
    }

    public async IAsyncEnumerable<AdminAuditEntry> ListAsync(int skip, int take, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        cancellationToken.ThrowIfCancellationRequested();
        AdminAuditEntry[] page;
        lock (_gate)
        {
            page = [.. _entries.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Skip(skip).Take(take).Select(Copy)];
        }

        foreach (var entry in page)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private static AdminAuditEntry Copy(AdminAuditEntry e) => new()
    {
        Id = e.Id,
        OccurredAt = e.OccurredAt,
        Action = e.Action,
        Actor = e.Actor,
        ActorKind = e.ActorKind,
        Target = e.Target,
        ClientAddress = e.ClientAddress,
        KeyId = e.KeyId,
        Owner = e.Owner,
    };
}
