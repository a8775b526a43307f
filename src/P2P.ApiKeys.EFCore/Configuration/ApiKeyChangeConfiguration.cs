using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using P2P.ApiKeys.EFCore.ChangeNotifications;

namespace P2P.ApiKeys.EFCore.Configuration;

/// <summary>Maps the change feed <see cref="ApiKeyChange"/> to <c>p2p_api_key_changes</c>.</summary>
internal sealed class ApiKeyChangeConfiguration : IEntityTypeConfiguration<ApiKeyChange>
{
    public void Configure(EntityTypeBuilder<ApiKeyChange> builder)
    {
        builder.ToTable(ApiKeysTableNames.KeyChanges);
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedOnAdd();
        builder.Property(c => c.LookupId).HasMaxLength(ApiKeyChange.MaxLookupIdLength).IsRequired();
        builder.Property(c => c.ChangedAt).HasConversion(UtcTicksConverter.Instance);
        builder.HasIndex(c => c.ChangedAt);
    }
}
