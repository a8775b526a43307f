using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.EFCore.Configuration;

/// <summary>Maps <see cref="ApiKeyUsageRecord"/> (usage history, one row per key, granularity and bucket start) to <c>p2p_api_key_usage</c>.</summary>
internal sealed class ApiKeyUsageRecordConfiguration : IEntityTypeConfiguration<ApiKeyUsageRecord>
{
    public void Configure(EntityTypeBuilder<ApiKeyUsageRecord> builder)
    {
        builder.ToTable(ApiKeysTableNames.Usage);
        builder.HasKey(u => new { u.KeyId, u.Granularity, u.Start });
        builder.Property(u => u.Start).HasConversion(UtcTicksConverter.Instance);
        builder.Property(u => u.Granularity).HasConversion<int>();
        builder.Property(u => u.Owner).HasMaxLength(ApiKeyRecord.MaxOwnerLength);
        builder.Property(u => u.ClientSketch).HasMaxLength(ApiKeyClientSketch.Size).IsRequired();
        builder.Ignore(u => u.Total);

        // The per-owner report reads one owner's buckets in one range; rotation reads a lineage's; pruning deletes by start.
        builder.HasIndex(u => new { u.Owner, u.Granularity, u.Start });
        builder.HasIndex(u => new { u.LineageId, u.Granularity, u.Start });
        builder.HasIndex(u => new { u.Granularity, u.Start });
    }
}
