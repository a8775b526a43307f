using Microsoft.EntityFrameworkCore;

namespace AdminApi.Data;

/// <summary>The context on PostgreSQL (<c>Database:Provider=PostgreSql</c>); its migrations are in <c>Migrations/PostgreSql</c>.</summary>
public sealed class PostgreSqlAdminApiDbContext(DbContextOptions<PostgreSqlAdminApiDbContext> options) : AdminApiDbContext(options);
