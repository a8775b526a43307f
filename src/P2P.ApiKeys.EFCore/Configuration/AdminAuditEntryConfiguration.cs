using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.EFCore.Configuration;

/// <summary>Maps <see cref="AdminAuditEntry"/> to <c>p2p_admin_audit</c>.</summary>
internal sealed class AdminAuditEntryConfiguration : IEntityTypeConfiguration<AdminAuditEntry>
{
    public void Configure(EntityTypeBuilder<AdminAuditEntry> builder)
    {
        builder.ToTable(ApiKeysTableNames.AdminAudit);
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.OccurredAt).HasConversion(UtcTicksConverter.Instance);
        builder.HasIndex(e => e.OccurredAt);
        builder.Property(e => e.Action).HasMaxLength(AdminAuditEntry.MaxActionLength).IsRequired();
        builder.Property(e => e.Actor).HasMaxLength(AdminAuditEntry.MaxTextLength);
        builder.Property(e => e.ActorKind).HasMaxLength(AdminAuditEntry.MaxActorKindLength).IsUnicode(false);
        builder.Property(e => e.Target).HasMaxLength(AdminAuditEntry.MaxTextLength);
        builder.Property(e => e.ClientAddress).HasMaxLength(AdminAuditEntry.MaxTextLength);
    }
}
