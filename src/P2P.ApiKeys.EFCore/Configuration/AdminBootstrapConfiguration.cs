using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using P2P.ApiKeys.EFCore.Stores;

namespace P2P.ApiKeys.EFCore.Configuration;

/// <summary>Maps the single-row <see cref="AdminBootstrapMarker"/> to <c>p2p_admin_bootstrap</c>.</summary>
internal sealed class AdminBootstrapConfiguration : IEntityTypeConfiguration<AdminBootstrapMarker>
{
    public void Configure(EntityTypeBuilder<AdminBootstrapMarker> builder)
    {
        builder.ToTable(ApiKeysTableNames.AdminBootstrap);
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.CreatedAt).HasConversion(UtcTicksConverter.Instance);
    }
}
