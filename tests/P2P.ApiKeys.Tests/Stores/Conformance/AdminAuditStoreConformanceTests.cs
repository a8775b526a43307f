using P2P.ApiKeys.Stores;
using static P2P.ApiKeys.Tests.Stores.Conformance.StoreTestData;

namespace P2P.ApiKeys.Tests.Stores.Conformance;

/// <summary>The <see cref="IAdminAuditStore"/> contract, one test per rule.</summary>
public abstract class AdminAuditStoreConformanceTests
{
    /// <summary>Returns a new, empty store.</summary>
    protected abstract Task<IAdminAuditStore> CreateStoreAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AppendAsync_ThenList_ReturnsEveryFieldNewestFirst()
    {
        var store = await CreateStoreAsync();
        var entries = Enumerable.Range(0, 5).Select(i => NewAuditEntry($"key.created.{i}", Epoch.AddSeconds(i))).ToList();
        foreach (var entry in entries.OrderBy(_ => Random.Shared.Next()))
        {
            await store.AppendAsync(entry, Ct);
        }

        var listed = await CollectAsync(store.ListAsync(0, 10, Ct), Ct);

        Assert.Equal(entries.OrderByDescending(e => e.OccurredAt).Select(e => e.Id), listed.Select(e => e.Id));
        var newest = listed[0];
        Assert.Equal(entries[4].Action, newest.Action);
        Assert.Equal(entries[4].OccurredAt, newest.OccurredAt);
        Assert.Equal("admin", newest.Actor);
        Assert.Equal("key-1", newest.Target);
        Assert.Equal("127.0.0.1", newest.ClientAddress);
    }

    [Fact]
    public async Task ListAsync_Pages_AndCountCountsAll()
    {
        var store = await CreateStoreAsync();
        var entries = Enumerable.Range(0, 5).Select(i => NewAuditEntry("login.failed", Epoch.AddSeconds(i))).ToList();
        foreach (var entry in entries)
        {
            await store.AppendAsync(entry, Ct);
        }

        var expected = entries.OrderByDescending(e => e.OccurredAt).Select(e => e.Id).ToList();
        Assert.Equal(expected.Skip(1).Take(2), (await CollectAsync(store.ListAsync(1, 2, Ct), Ct)).Select(e => e.Id));
        Assert.Equal(5, await store.CountAsync(Ct));
    }

    [Fact]
    public async Task AppendAsync_OptionalFieldsNull_RoundTrip()
    {
        var store = await CreateStoreAsync();
        var entry = new AdminAuditEntry { Id = Guid.NewGuid(), OccurredAt = Epoch, Action = "login.failed" };
        await store.AppendAsync(entry, Ct);

        var listed = Assert.Single(await CollectAsync(store.ListAsync(0, 10, Ct), Ct));
        Assert.Null(listed.Actor);
        Assert.Null(listed.Target);
        Assert.Null(listed.ClientAddress);
    }

    [Fact]
    public async Task ReturnedEntries_AreCopies()
    {
        var store = await CreateStoreAsync();
        var entry = NewAuditEntry("key.revoked", Epoch);
        await store.AppendAsync(entry, Ct);
        entry.Action = "changed";
        (await CollectAsync(store.ListAsync(0, 1, Ct), Ct))[0].Actor = "changed";

        var listed = Assert.Single(await CollectAsync(store.ListAsync(0, 1, Ct), Ct));
        Assert.Equal("key.revoked", listed.Action);
        Assert.Equal("admin", listed.Actor);
    }

    [Fact]
    public async Task EveryMethod_CancelledToken_Throws()
    {
        var store = await CreateStoreAsync();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.AppendAsync(NewAuditEntry("x", Epoch), cts.Token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.CountAsync(cts.Token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CollectAsync(store.ListAsync(0, 10, cts.Token), cts.Token));
        Assert.Equal(0, await store.CountAsync(Ct));
    }
}
