using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.EFCore.Configuration;

/// <summary>Maps <see cref="ApiKeyRecord"/> to <c>p2p_api_keys</c>.</summary>
internal sealed class ApiKeyRecordConfiguration : IEntityTypeConfiguration<ApiKeyRecord>
{
    /// <summary>Longest lookup id stored; the key format uses 12 characters, the column leaves room to grow.</summary>
    public const int MaxLookupIdLength = 32;

    /// <summary>Longest secret hash stored; SHA-256 and HMAC-SHA256 give 32 bytes, the column leaves room for 64.</summary>
    public const int MaxSecretHashLength = 64;

    /// <summary>Longest concurrency stamp stored (a GUID in "N" format has 32 characters).</summary>
    public const int MaxStampLength = 64;

    public void Configure(EntityTypeBuilder<ApiKeyRecord> builder)
    {
        builder.ToTable(ApiKeysTableNames.ApiKeys);
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).ValueGeneratedNever();

        builder.Property(k => k.LookupId).HasMaxLength(MaxLookupIdLength).IsUnicode(false).IsRequired();
        builder.HasIndex(k => k.LookupId).IsUnique();

        builder.Property(k => k.SecretHash).HasMaxLength(MaxSecretHashLength).IsRequired();
        builder.Property(k => k.Name).HasMaxLength(ApiKeyRecord.MaxNameLength).IsRequired();
        builder.Property(k => k.Owner).HasMaxLength(ApiKeyRecord.MaxOwnerLength);
        builder.Property(k => k.Scopes)
            .HasConversion(ScopeListConverter.Instance, ScopeListConverter.Comparer)
            .HasMaxLength(ScopeListConverter.MaxColumnLength)
            .IsRequired();
        builder.Property(k => k.Metadata)
            .HasConversion(MetadataConverter.Instance, MetadataConverter.Comparer)
            .IsRequired();
        builder.Property(k => k.Enabled).HasDefaultValue(true).HasSentinel(true);

        builder.Property(k => k.CreatedAt).HasConversion(UtcTicksConverter.Instance);
        builder.Property(k => k.ExpiresAt).HasConversion(UtcTicksConverter.Instance);
        builder.Property(k => k.RevokedAt).HasConversion(UtcTicksConverter.Instance);
        builder.Property(k => k.LastUsedAt).HasConversion(UtcTicksConverter.Instance);

        // Listing is newest first; the index serves both the ORDER BY and the paging. Owners list their own keys.
        builder.HasIndex(k => k.CreatedAt);
        builder.HasIndex(k => new { k.Owner, k.CreatedAt });

        // A key and every replacement its rotations made share one lineage: budgets and usage are counted by it.
        builder.HasIndex(k => k.LineageId);

        // Per-key limits: NULL means the host default.
        builder.Property(k => k.RateLimit).HasConversion(ApiKeyLimitConverters.RateLimit).HasMaxLength(ApiKeyLimitConverters.MaxColumnLength).IsUnicode(false);
        builder.Property(k => k.Quota).HasConversion(ApiKeyLimitConverters.Quota).HasMaxLength(ApiKeyLimitConverters.MaxColumnLength).IsUnicode(false);

        // Enforced by the store's conditional writes (WHERE ConcurrencyStamp = @read), not by the change tracker.
        builder.Property(k => k.ConcurrencyStamp).HasMaxLength(MaxStampLength).IsConcurrencyToken().IsRequired();
    }
}
