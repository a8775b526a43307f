namespace P2P.ApiKeys.Stores;

/// <summary>Outcome of <see cref="IAdminUserStore.DeleteAsync"/>.</summary>
public enum AdminDeleteResult
{
    /// <summary>The admin was deleted.</summary>
    Deleted = 0,

    /// <summary>No admin has that id.</summary>
    NotFound,

    /// <summary>Refused: it is the last admin, and deleting it would lock everyone out.</summary>
    LastAdmin,
}
