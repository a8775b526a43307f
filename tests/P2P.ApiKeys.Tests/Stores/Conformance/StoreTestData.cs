using System.Security.Cryptography;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Tests.Stores.Conformance;

/// <summary>Builders for store records, shared by every conformance suite.</summary>
internal static class StoreTestData
{
    /// <summary>A fixed instant with sub-microsecond ticks, so that a store that rounds is caught.</summary>
    public static readonly DateTimeOffset Epoch = new DateTimeOffset(2026, 3, 14, 15, 9, 26, TimeSpan.Zero).AddTicks(5_358_979);

    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string NewLookupId() => RandomNumberGenerator.GetString(Base62, 12);

    public static ApiKeyRecord NewKey(DateTimeOffset? createdAt = null, string? lookupId = null) => new()
    {
        Id = Guid.CreateVersion7(),
        LookupId = lookupId ?? NewLookupId(),
        SecretHash = RandomNumberGenerator.GetBytes(32),
        Name = "Streamlit App Key",
        Owner = "admin",
        Scopes = ["p2p:read", "p2p:write"],
        CreatedAt = createdAt ?? Epoch,
        ExpiresAt = (createdAt ?? Epoch).AddDays(90),
    };

    public static AdminUser NewAdmin(string userName, DateTimeOffset? createdAt = null) => new()
    {
        Id = Guid.CreateVersion7(),
        UserName = userName,
        NormalizedUserName = userName.ToUpperInvariant(),
        PasswordHash = "AQAAAAIAAYagAAAAE" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)),
        CreatedAt = createdAt ?? Epoch,
    };

    public static AdminAuditEntry NewAuditEntry(string action, DateTimeOffset occurredAt) => new()
    {
        Id = Guid.CreateVersion7(),
        OccurredAt = occurredAt,
        Action = action,
        Actor = "admin",
        Target = "key-1",
        ClientAddress = "127.0.0.1",
    };

    public static async Task<List<T>> CollectAsync<T>(IAsyncEnumerable<T> source, CancellationToken cancellationToken = default)
    {
        var items = new List<T>();
        await foreach (var item in source.WithCancellation(cancellationToken))
        {
            items.Add(item);
        }

        return items;
    }

    public static void AssertSameKey(ApiKeyRecord expected, ApiKeyRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.LookupId, actual.LookupId);
        Assert.Equal(expected.SecretHash, actual.SecretHash);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Owner, actual.Owner);
        Assert.Equal(expected.Scopes, actual.Scopes);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.ExpiresAt, actual.ExpiresAt);
        Assert.Equal(expected.RevokedAt, actual.RevokedAt);
        Assert.Equal(expected.LastUsedAt, actual.LastUsedAt);
        Assert.Equal(expected.ReplacedByKeyId, actual.ReplacedByKeyId);
        Assert.Equal(expected.LineageId, actual.LineageId);
        Assert.Equal(expected.RateLimit, actual.RateLimit);
        Assert.Equal(expected.Quota, actual.Quota);
        Assert.Equal(expected.ConcurrencyStamp, actual.ConcurrencyStamp);
        Assert.Equal(expected.Enabled, actual.Enabled);
        Assert.Equal(expected.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal), actual.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    public static void AssertSameAdmin(AdminUser expected, AdminUser? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.UserName, actual.UserName);
        Assert.Equal(expected.NormalizedUserName, actual.NormalizedUserName);
        Assert.Equal(expected.PasswordHash, actual.PasswordHash);
        Assert.Equal(expected.SecurityStamp, actual.SecurityStamp);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.FailedLoginCount, actual.FailedLoginCount);
        Assert.Equal(expected.LockoutEndsAt, actual.LockoutEndsAt);
        Assert.Equal(expected.ConcurrencyStamp, actual.ConcurrencyStamp);
    }
}
