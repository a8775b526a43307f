using Microsoft.EntityFrameworkCore;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.EFCore;

/// <summary>
/// A ready context holding only the P2P.ApiKeys tables, for hosts that have no <see cref="DbContext"/> of
/// their own. Hosts that have one call <see cref="ApiKeysModelBuilderExtensions.ApplyApiKeysModel"/> in it
/// instead.
/// </summary>
public class ApiKeysDbContext : DbContext
{
    /// <summary>Creates the context with options registered for it.</summary>
    /// <param name="options">The options, usually from <c>AddDbContext</c> or <c>AddDbContextFactory</c>.</param>
    public ApiKeysDbContext(DbContextOptions<ApiKeysDbContext> options)
        : base(options)
    {
    }

    /// <summary>Lets a derived context pass its own options type.</summary>
    /// <param name="options">The derived context's options.</param>
    protected ApiKeysDbContext(DbContextOptions options)
        : base(options)
    {
    }

    /// <summary>The API keys (<c>p2p_api_keys</c>).</summary>
    public DbSet<ApiKeyRecord> ApiKeys => Set<ApiKeyRecord>();

    /// <summary>The admin accounts (<c>p2p_admin_users</c>).</summary>
    public DbSet<AdminUser> AdminUsers => Set<AdminUser>();

    /// <summary>The admin audit trail (<c>p2p_admin_audit</c>).</summary>
    public DbSet<AdminAuditEntry> AdminAudit => Set<AdminAuditEntry>();

    /// <summary>The usage history, per key and UTC hour or day (<c>p2p_api_key_usage</c>).</summary>
    public DbSet<ApiKeyUsageRecord> ApiKeyUsage => Set<ApiKeyUsageRecord>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyApiKeysModel();
    }
}
