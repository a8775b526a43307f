namespace P2P.ApiKeys.Stores;

/// <summary>An administrator account that can log in and manage API keys.</summary>
public sealed class AdminUser
{
    /// <summary>Longest user name accepted.</summary>
    public const int MaxUserNameLength = 64;

    /// <summary>Stable identifier of the admin.</summary>
    public Guid Id { get; set; }

    /// <summary>The user name as entered.</summary>
    public string UserName { get; set; } = "";

    /// <summary>The user name normalised for lookups (upper-case invariant); unique.</summary>
    public string NormalizedUserName { get; set; } = "";

    /// <summary>The password hash produced by ASP.NET Core Identity's <c>PasswordHasher</c>.</summary>
    public string PasswordHash { get; set; } = "";

    /// <summary>Changes when the password changes; admin tokens carrying an older stamp are refused.</summary>
    public string SecurityStamp { get; set; } = Guid.NewGuid().ToString("N");

    /// <summary>When the admin was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Consecutive failed logins since the last success.</summary>
    public int FailedLoginCount { get; set; }

    /// <summary>Until when logins are refused after repeated failures, if at all.</summary>
    public DateTimeOffset? LockoutEndsAt { get; set; }

    /// <summary>Optimistic concurrency token; changes on every update.</summary>
    public string ConcurrencyStamp { get; set; } = Guid.NewGuid().ToString("N");

    /// <summary>A copy that shares no mutable state with this instance.</summary>
    public AdminUser Clone() => (AdminUser)MemberwiseClone();
}
