namespace P2P.ApiKeys.EFCore.Stores;

/// <summary>
/// The one row of <c>p2p_admin_bootstrap</c>. Its fixed primary key makes the first-admin bootstrap atomic
/// on any provider: two bootstraps both insert row <see cref="SingletonId"/>, and the database lets only
/// one of them commit. Deleting an admin updates <see cref="Version"/> first, which takes a write lock on the
/// row, so that two deletions cannot both see "another admin remains" and leave none.
/// </summary>
internal sealed class AdminBootstrapMarker
{
    /// <summary>The only primary key value the table ever holds.</summary>
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    /// <summary>When the first admin was created (or when the row was first needed).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Bumped by every admin deletion, only to serialise them.</summary>
    public long Version { get; set; }
}
