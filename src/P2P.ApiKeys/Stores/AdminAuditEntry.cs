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

    /// <summary>Longest actor kind stored.</summary>
    public const int MaxActorKindLength = 16;

    /// <summary>Who acted: an admin's user name, an admin key's id (see <see cref="ActorKind"/>), if known.</summary>
    public string? Actor { get; set; }

    /// <summary>
    /// What kind of caller acted (<see cref="AuditActor.KindName"/>: <c>admin</c>, <c>admin_key</c>, <c>system</c>,
    /// <c>scanner</c>); <see langword="null"/> when unknown (an anonymous request, or an entry written before kinds were kept).
    /// </summary>
    public string? ActorKind { get; set; }

    /// <summary>What the action was on: a key id, an admin user name.</summary>
    public string? Target { get; set; }

    /// <summary>The client's IP address, as the server saw it.</summary>
    public string? ClientAddress { get; set; }

    /// <summary>
    /// The API key the entry is about (for a rotation: the rotated key; the replacement is in <see cref="Target"/>), or
    /// <see langword="null"/> for an entry that is not about a key (a login, an admin). Indexed, for the audit of one key.
    /// </summary>
    public Guid? KeyId { get; set; }

    /// <summary>The owner of the key the entry is about, when it has one. Indexed, for the audit of one customer's keys.</summary>
    public string? Owner { get; set; }
}
