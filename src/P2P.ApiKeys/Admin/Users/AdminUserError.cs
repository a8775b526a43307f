namespace P2P.ApiKeys.Admin.Users;

/// <summary>Why an <see cref="AdminUserManager"/> call did not succeed.</summary>
internal enum AdminUserError
{
    None = 0,

    /// <summary>No admin has that id.</summary>
    NotFound,

    /// <summary>The input broke a rule; <see cref="AdminUserResult{T}.Errors"/> says which, per field.</summary>
    Invalid,

    /// <summary>The name is taken, an admin exists (bootstrap), the last admin, or a lost race.</summary>
    Conflict,

    /// <summary>Unknown user name or wrong password: the same answer for both.</summary>
    InvalidCredentials,

    /// <summary>Too many failed password checks: wait <see cref="AdminUserResult{T}.RetryAfter"/>.</summary>
    LockedOut,
}
