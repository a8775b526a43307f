using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.EFCore.Configuration;

/// <summary>Maps <see cref="AdminUser"/> to <c>p2p_admin_users</c>.</summary>
internal sealed class AdminUserConfiguration : IEntityTypeConfiguration<AdminUser>
{
    /// <summary>Identity's v3 hashes are 84 characters; the column leaves room for stronger formats.</summary>
    public const int MaxPasswordHashLength = 512;

    public void Configure(EntityTypeBuilder<AdminUser> builder)
    {
        builder.ToTable(ApiKeysTableNames.AdminUsers);
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Id).ValueGeneratedNever();

        builder.Property(u => u.UserName).HasMaxLength(AdminUser.MaxUserNameLength).IsRequired();
        builder.Property(u => u.NormalizedUserName).HasMaxLength(AdminUser.MaxUserNameLength).IsRequired();
        builder.HasIndex(u => u.NormalizedUserName).IsUnique();

        builder.Property(u => u.PasswordHash).HasMaxLength(MaxPasswordHashLength).IsRequired();
        builder.Property(u => u.SecurityStamp).HasMaxLength(ApiKeyRecordConfiguration.MaxStampLength).IsRequired();
        builder.Property(u => u.CreatedAt).HasConversion(UtcTicksConverter.Instance);
        builder.HasIndex(u => u.CreatedAt);
        builder.Property(u => u.LockoutEndsAt).HasConversion(UtcTicksConverter.Instance);
        builder.Property(u => u.ConcurrencyStamp).HasMaxLength(ApiKeyRecordConfiguration.MaxStampLength).IsConcurrencyToken().IsRequired();
    }
}
