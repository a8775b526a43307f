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
        builder.Property(e => e.Owner).HasMaxLength(AdminAuditEntry.MaxTextLength);

        // GET /admin/audit filters by one of these and pages by (time, id): each filter has an index that ends in the
        // keyset order, so a page is one index range scan whichever filter is given.
        builder.HasIndex(e => new { e.KeyId, e.OccurredAt, e.Id });
        builder.HasIndex(e => new { e.Owner, e.OccurredAt, e.Id });
        builder.HasIndex(e => new { e.Actor, e.OccurredAt, e.Id });
        builder.HasIndex(e => new { e.Action, e.OccurredAt, e.Id });
    }
}
