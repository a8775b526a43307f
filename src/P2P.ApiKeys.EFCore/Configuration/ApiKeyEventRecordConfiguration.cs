using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.EFCore.Configuration;

/// <summary>Maps the event outbox <see cref="ApiKeyEventRecord"/> to <c>p2p_api_key_events</c>.</summary>
internal sealed class ApiKeyEventRecordConfiguration : IEntityTypeConfiguration<ApiKeyEventRecord>
{
    public void Configure(EntityTypeBuilder<ApiKeyEventRecord> builder)
    {
        builder.ToTable(ApiKeysTableNames.KeyEvents);
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Type).HasMaxLength(ApiKeyEventRecord.MaxTypeLength).IsUnicode(false).IsRequired();
        builder.Property(e => e.OccurredAt).HasConversion(UtcTicksConverter.Instance);
        builder.Property(e => e.Data).IsRequired();
        builder.Property(e => e.NextAttemptAt).HasConversion(UtcTicksConverter.Instance);
        builder.Property(e => e.LeaseUntil).HasConversion(UtcTicksConverter.Instance);
        builder.Property(e => e.LeaseOwner).HasMaxLength(ApiKeyEventRecord.MaxOwnerLength);
        builder.Property(e => e.DeliveredAt).HasConversion(UtcTicksConverter.Instance);
        builder.Property(e => e.FailedAt).HasConversion(UtcTicksConverter.Instance);

        // The dispatchers' claim: pending rows (neither delivered nor failed) by due time.
        builder.HasIndex(e => new { e.DeliveredAt, e.FailedAt, e.NextAttemptAt });
        builder.HasIndex(e => e.KeyId);
    }
}
