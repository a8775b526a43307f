using Microsoft.EntityFrameworkCore;

namespace AdminApi.Data;

/// <summary>
/// The sample's own context: the API-key tables (<c>ApplyApiKeysModel</c>) and nothing else, as a host would add
/// them to its existing context. Migrations are provider-specific, so each provider has a derived context with
/// its own migration set: <see cref="SqliteAdminApiDbContext"/> (Migrations/Sqlite) and
/// <see cref="PostgreSqlAdminApiDbContext"/> (Migrations/PostgreSql).
/// </summary>
public abstract class AdminApiDbContext(DbContextOptions options) : DbContext(options)
{
    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyApiKeysModel();
    }
}
