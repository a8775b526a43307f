using P2P.ApiKeys.EFCore.Configuration;

namespace Microsoft.EntityFrameworkCore;

/// <summary>Adds the P2P.ApiKeys tables to a host's own <see cref="DbContext"/> model.</summary>
public static class ApiKeysModelBuilderExtensions
{
    /// <summary>
    /// Maps API keys, admin users, the admin audit trail, the first-admin bootstrap row, the key-change feed
    /// (read by <c>AddPollingChangeNotifications</c>), the key-event outbox, the usage history and the one-node quota
    /// counts to the tables <c>p2p_api_keys</c>, <c>p2p_admin_users</c>, <c>p2p_admin_audit</c>, <c>p2p_admin_bootstrap</c>,
    /// <c>p2p_api_key_changes</c>, <c>p2p_api_key_events</c>, <c>p2p_api_key_usage</c>, <c>p2p_api_key_quota_counts</c> and <c>p2p_api_key_owner_limits</c>.
    /// Call it from <c>OnModelCreating</c>, then add a migration. The mapping uses no provider-specific
    /// type: timestamps are UTC ticks, scopes a space-delimited string.
    /// </summary>
    /// <param name="modelBuilder">The host context's model builder.</param>
    /// <returns>The same model builder, for chaining.</returns>
    public static ModelBuilder ApplyApiKeysModel(this ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        return modelBuilder
            .ApplyConfiguration(new ApiKeyRecordConfiguration())
            .ApplyConfiguration(new AdminUserConfiguration())
            .ApplyConfiguration(new AdminAuditEntryConfiguration())
            .ApplyConfiguration(new AdminBootstrapConfiguration())
            .ApplyConfiguration(new ApiKeyChangeConfiguration())
            .ApplyConfiguration(new ApiKeyEventRecordConfiguration())
            .ApplyConfiguration(new ApiKeyUsageRecordConfiguration())
            .ApplyConfiguration(new ApiKeyQuotaCountConfiguration())
            .ApplyConfiguration(new ApiKeyOwnerLimitConfiguration());
    }
}
