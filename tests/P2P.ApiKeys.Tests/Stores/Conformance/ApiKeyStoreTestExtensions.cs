namespace P2P.ApiKeys.Stores;

/// <summary>Shorthands for tests: every key, and a revocation written the way the manager writes it.</summary>
internal static class ApiKeyStoreTestExtensions
{
    public static ValueTask<long> CountAsync(this IApiKeyStore store, CancellationToken cancellationToken) =>
        store.CountAsync(ApiKeyFilter.All, cancellationToken);

    public static IAsyncEnumerable<ApiKeyRecord> ListAsync(this IApiKeyStore store, int skip, int take, CancellationToken cancellationToken) =>
        store.ListAsync(ApiKeyFilter.All, skip, take, cancellationToken);

    /// <summary>Reads the key, sets its revocation time, and writes it back conditionally (as another node would).</summary>
    public static async ValueTask<ApiKeyStoreResult> RevokeAsync(this IApiKeyStore store, Guid id, DateTimeOffset revokedAt, CancellationToken cancellationToken)
    {
        if (await store.FindByIdAsync(id, cancellationToken) is not { } key)
        {
            return ApiKeyStoreResult.NotFound;
        }

        key.RevokedAt = revokedAt;
        return await store.UpdateAsync(key, cancellationToken);
    }
}
