using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace AdminApi.Data;

/// <summary>
/// Which database the sample uses, from configuration. One rule: <c>Database:Provider</c> is <c>Sqlite</c>
/// (the default) or <c>PostgreSql</c>; <c>ConnectionStrings:ApiKeys</c> is the connection string, which
/// defaults to <c>adminapi.db</c> in the data directory for SQLite and is required for PostgreSQL. The provider
/// is never guessed from the shape of the connection string, so a typo cannot silently switch databases.
/// </summary>
internal sealed record AdminApiDatabase(DatabaseProvider Provider, string ConnectionString)
{
    public const string ProviderKey = "Database:Provider";

    public const string ConnectionStringName = "ApiKeys";

    public const string SqliteFileName = "adminapi.db";

    /// <exception cref="InvalidOperationException">Unknown provider, or PostgreSQL without a connection string.</exception>
    public static AdminApiDatabase FromConfiguration(IConfiguration configuration, string dataDirectory)
    {
        var providerText = configuration[ProviderKey];
        var provider = DatabaseProvider.Sqlite;
        if (!string.IsNullOrWhiteSpace(providerText)
            && (!Enum.TryParse(providerText.Trim(), ignoreCase: true, out provider) || !Enum.IsDefined(provider)))
        {
            throw new InvalidOperationException(
                $"{ProviderKey} must be 'Sqlite' (the default) or 'PostgreSql' (environment variable Database__Provider).");
        }

        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (provider == DatabaseProvider.PostgreSql)
            {
                throw new InvalidOperationException(
                    $"{ProviderKey} is PostgreSql, so ConnectionStrings:{ConnectionStringName} must be set "
                    + "(environment variable ConnectionStrings__ApiKeys, e.g. 'Host=localhost;Database=p2p;Username=p2p;Password=...').");
            }

            connectionString = $"Data Source={Path.Combine(dataDirectory, SqliteFileName)}";
        }

        return new AdminApiDatabase(provider, connectionString);
    }

    /// <summary>
    /// Registers the provider's context with a pooled context factory (what the singleton stores use: a pooled
    /// context halves a cache-miss verification, see docs/benchmarks.md), and <see cref="AdminApiDbContext"/> as a
    /// scoped context from that factory for the health check and the start-up migration.
    /// </summary>
    public void AddDbContext(IServiceCollection services)
    {
        switch (Provider)
        {
            case DatabaseProvider.PostgreSql:
                services.AddPooledDbContextFactory<PostgreSqlAdminApiDbContext>(o => o.UseNpgsql(ConnectionString));
                services.AddScoped<AdminApiDbContext>(sp => sp.GetRequiredService<IDbContextFactory<PostgreSqlAdminApiDbContext>>().CreateDbContext());
                break;
            default:
                services.AddPooledDbContextFactory<SqliteAdminApiDbContext>(o => o.UseSqlite(ConnectionString));
                services.AddScoped<AdminApiDbContext>(sp => sp.GetRequiredService<IDbContextFactory<SqliteAdminApiDbContext>>().CreateDbContext());
                break;
        }
    }

    /// <summary>
    /// Brings the schema up to date with the provider's migrations; creates the SQLite file on first run. Then
    /// makes the SQLite file and its <c>-wal</c>, <c>-shm</c> and <c>-journal</c> companions owner-only (0600),
    /// whatever the folder's mode or the umask (docs/security.md rule 26): SQLite creates files 0644 less the umask,
    /// and gives the companions it creates later the database file's own mode.
    /// </summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<AdminApiDbContext>();

        // On a fresh PostgreSQL database, Migrate first probes __EFMigrationsHistory with a SELECT that fails, and EF Core
        // logs that expected failure at Error ("fail: ... Failed executing DbCommand", dotnet/efcore#37328): the first
        // line a new user reads would be a false alarm. Creating the empty history table first (what Migrate does
        // next anyway) leaves nothing to fail. A database that does not exist yet is left to Migrate, which creates it.
        if (await context.GetService<IRelationalDatabaseCreator>().ExistsAsync(cancellationToken))
        {
            await context.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
        }

        await context.Database.MigrateAsync(cancellationToken);
        if (context.Database.IsSqlite())
        {
            RestrictSqliteFiles(new SqliteConnectionStringBuilder(context.Database.GetConnectionString()).DataSource);
        }
    }

    internal static void RestrictSqliteFiles(string databasePath)
    {
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (OperatingSystem.IsWindows() || string.IsNullOrEmpty(databasePath) || databasePath == ":memory:")
        {
            return;
        }

        foreach (var path in new[] { databasePath, databasePath + "-wal", databasePath + "-shm", databasePath + "-journal" })
        {
            if (File.Exists(path) && (File.GetUnixFileMode(path) & ~OwnerOnly) != 0)
            {
                File.SetUnixFileMode(path, OwnerOnly);
            }
        }
    }
}
