namespace P2P.ApiKeys.Stores;

/// <summary>One admin action in the audit trail. Never holds a key, password, token or hash.</summary>
public sealed class AdminAuditEntry
{
    /// <summary>Longest action name stored.</summary>
    public const int MaxActionLength = 64;

    /// <summary>Longest actor, target or client address stored.</summary>
    public const int MaxTextLength = 256;

    /// <summary>Stable identifier; version-7 GUIDs sort by time.</summary>
    public Guid Id { get; set; }

    /// <summary>When the action happened.</summary>
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>What happened, for example <c>key.created</c> or <c>login.failed</c>.</summary>
    public string Action { get; set; } = "";

    /// <summary>The admin who acted (user name), if known.</summary>
    public string? Actor { get; set; }

    /// <summary>What the action was on: a key id, an admin user name.</summary>
    public string? Target { get; set; }

    /// <summary>The client's IP address, as the server saw it.</summary>
    public string? ClientAddress { get; set; }
}
