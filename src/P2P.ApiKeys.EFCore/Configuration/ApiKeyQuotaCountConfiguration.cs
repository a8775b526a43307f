using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using P2P.ApiKeys.EFCore.Stores;

namespace P2P.ApiKeys.EFCore.Configuration;

/// <summary>Maps <see cref="ApiKeyQuotaCountRow"/> to <c>p2p_api_key_quota_counts</c>, one row per key lineage.</summary>
internal sealed class ApiKeyQuotaCountConfiguration : IEntityTypeConfiguration<ApiKeyQuotaCountRow>
{
    public void Configure(EntityTypeBuilder<ApiKeyQuotaCountRow> builder)
    {
        builder.ToTable(ApiKeysTableNames.QuotaCounts);
        builder.HasKey(c => c.LineageId);
        builder.Property(c => c.LineageId).ValueGeneratedNever();
        builder.Property(c => c.PeriodStart).HasConversion(UtcTicksConverter.Instance);
        builder.Property(c => c.PeriodEnd).HasConversion(UtcTicksConverter.Instance);
        builder.HasIndex(c => c.PeriodEnd);
    }
}
