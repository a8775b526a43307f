using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using P2P.ApiKeys.EFCore.Stores;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.EFCore.Configuration;

/// <summary>Maps <see cref="ApiKeyOwnerLimitRow"/> to <c>p2p_api_key_owner_limits</c>, one row per owner with a budget; limits as on keys.</summary>
internal sealed class ApiKeyOwnerLimitConfiguration : IEntityTypeConfiguration<ApiKeyOwnerLimitRow>
{
    public void Configure(EntityTypeBuilder<ApiKeyOwnerLimitRow> builder)
    {
        builder.ToTable(ApiKeysTableNames.OwnerLimits);
        builder.HasKey(o => o.Owner);
        builder.Property(o => o.Owner).HasMaxLength(ApiKeyRecord.MaxOwnerLength);
        builder.Property(o => o.RateLimit).HasConversion(ApiKeyLimitConverters.RateLimit).HasMaxLength(ApiKeyLimitConverters.MaxColumnLength).IsUnicode(false);
        builder.Property(o => o.Quota).HasConversion(ApiKeyLimitConverters.Quota).HasMaxLength(ApiKeyLimitConverters.MaxColumnLength).IsUnicode(false);
    }
}
