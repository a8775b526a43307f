namespace P2P.ApiKeys.EFCore.Configuration;

/// <summary>The tables the model maps to; prefixed so that they sit beside a host's own tables.</summary>
internal static class ApiKeysTableNames
{
    public const string ApiKeys = "p2p_api_keys";
    public const string AdminUsers = "p2p_admin_users";
    public const string AdminAudit = "p2p_admin_audit";
    public const string AdminBootstrap = "p2p_admin_bootstrap";
    public const string KeyChanges = "p2p_api_key_changes";
    public const string KeyEvents = "p2p_api_key_events";
    public const string Usage = "p2p_api_key_usage";
    public const string QuotaCounts = "p2p_api_key_quota_counts";
    public const string OwnerLimits = "p2p_api_key_owner_limits";
}
