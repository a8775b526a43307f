namespace P2P.ApiKeys.Stores;

/// <summary>Who made a change: the kind of caller and its name, as the audit trail records it (docs/security.md rule 30).</summary>
/// <param name="Kind">The kind of caller.</param>
/// <param name="Name">The admin's user name, the admin key's id, the scanner's name; <see langword="null"/> for <see cref="AuditActorKind.System"/>.</param>
public readonly record struct AuditActor(AuditActorKind Kind, string? Name)
{
    /// <summary>The caller of the host's own code.</summary>
    public static AuditActor System { get; } = new(AuditActorKind.System, null);

    /// <summary>
    /// The client address the change came from (an admin request's remote address, a scanner's), as the audit trail
    /// records it; <see langword="null"/> when there is none (the host's own code).
    /// </summary>
    public string? ClientAddress { get; init; }

    /// <summary>A named part of the host's own code, for example <c>AuditActor.Host("signup")</c>.</summary>
    /// <param name="component">What acted: a sign-up flow, a billing worker …</param>
    /// <returns>An actor of kind <see cref="AuditActorKind.System"/> with that name.</returns>
    public static AuditActor Host(string component) => new(AuditActorKind.System, component);

    /// <summary>The kind as the audit trail stores and shows it: <c>admin</c>, <c>admin_key</c>, <c>system</c> or <c>scanner</c>.</summary>
    public string KindName => KindNameOf(Kind);

    /// <summary>An admin logged in with a password.</summary>
    /// <param name="userName">The admin's user name.</param>
    /// <returns>The actor.</returns>
    public static AuditActor Admin(string userName) => new(AuditActorKind.Admin, userName);

    /// <summary>An API key with admin permissions.</summary>
    /// <param name="keyId">The key's id.</param>
    /// <returns>The actor.</returns>
    public static AuditActor AdminKey(Guid keyId) => new(AuditActorKind.AdminKey, keyId.ToString("D"));

    /// <summary>A secret scanner.</summary>
    /// <param name="scanner">The scanner's name, for example <c>github</c>.</param>
    /// <returns>The actor.</returns>
    public static AuditActor Scanner(string scanner) => new(AuditActorKind.Scanner, scanner);

    /// <summary>The stored name of <paramref name="kind"/>.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns><c>admin</c>, <c>admin_key</c>, <c>system</c> or <c>scanner</c>.</returns>
    public static string KindNameOf(AuditActorKind kind) => kind switch
    {
        AuditActorKind.Admin => "admin",
        AuditActorKind.AdminKey => "admin_key",
        AuditActorKind.System => "system",
        AuditActorKind.Scanner => "scanner",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
