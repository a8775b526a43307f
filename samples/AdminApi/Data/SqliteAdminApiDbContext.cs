using Microsoft.EntityFrameworkCore;

namespace AdminApi.Data;

/// <summary>The context on SQLite (the default); its migrations are in <c>Migrations/Sqlite</c>.</summary>
public sealed class SqliteAdminApiDbContext(DbContextOptions<SqliteAdminApiDbContext> options) : AdminApiDbContext(options);
