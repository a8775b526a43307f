using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AdminApi.Data;

// Used by `dotnet ef migrations add` only: the host registers just one of the two contexts (by Database:Provider),
// so the tool cannot take both from Program. Creating a migration needs a provider, never a live database.

/// <summary>Design-time SQLite context for <c>dotnet ef migrations add … --context SqliteAdminApiDbContext</c>.</summary>
internal sealed class SqliteAdminApiDbContextDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAdminApiDbContext>
{
    public SqliteAdminApiDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteAdminApiDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>Design-time PostgreSQL context for <c>dotnet ef migrations add … --context PostgreSqlAdminApiDbContext</c>.</summary>
internal sealed class PostgreSqlAdminApiDbContextDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlAdminApiDbContext>
{
    public PostgreSqlAdminApiDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlAdminApiDbContext>().UseNpgsql("Host=localhost;Database=p2p_design_time").Options);
}
