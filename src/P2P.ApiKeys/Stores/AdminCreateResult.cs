namespace P2P.ApiKeys.Stores;

/// <summary>Outcome of <see cref="IAdminUserStore.CreateAsync"/>.</summary>
public enum AdminCreateResult
{
    /// <summary>The admin was created.</summary>
    Created = 0,

    /// <summary>Another admin already has that user name.</summary>
    DuplicateUserName,

    /// <summary>A first-admin bootstrap was requested but an admin already exists.</summary>
    AdminsAlreadyExist,
}
