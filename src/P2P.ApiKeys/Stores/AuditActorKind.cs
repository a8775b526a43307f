namespace P2P.ApiKeys.Stores;

/// <summary>What kind of caller made a change that the audit trail records.</summary>
public enum AuditActorKind
{
    /// <summary>An admin, logged in with a password (an admin token); the actor's name is the admin's user name.</summary>
    Admin = 0,

    /// <summary>An API key with admin permissions; the actor's name is the key's id.</summary>
    AdminKey,

    /// <summary>The host's own code (a sign-up flow, a worker, a test) calling the library directly; no name.</summary>
    System,

    /// <summary>A secret scanner that reported a leaked key; the actor's name is the scanner's.</summary>
    Scanner,
}
