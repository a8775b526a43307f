using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace P2P.ApiKeys.EFCore.Tests.Infrastructure;

/// <summary>Real SQLite files in a temporary directory, one per store, each a copy of the schema template; all removed on dispose.</summary>
internal sealed class SqliteDatabases : IAsyncDisposable
{
    private readonly List<(ServiceProvider Services, string ConnectionString)> _created = [];

    public string Directory { get; } = Directory_CreateTemp();

    public async Task<ServiceProvider> CreateAsync(ContextRegistration registration = ContextRegistration.Factory, bool pooling = true)
    {
        var path = Path.Combine(Directory, $"{Guid.NewGuid():N}.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = pooling }.ToString();
        SqliteSchemaTemplate.CopyTo(path);
        var services = StoreServices.Build(o => SqliteNoSync.UseSqliteFile(o, connectionString), registration);
        _created.Add((services, connectionString));
        await StoreServices.EnsureCreatedAsync(services); // finds the copied schema: a check, not a build
        return services;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (services, connectionString) in _created)
        {
            await services.DisposeAsync();
            using var connection = new SqliteConnection(connectionString);
            SqliteConnection.ClearPool(connection);
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp file is not a test failure.
        }
    }

    private static string Directory_CreateTemp() => System.IO.Directory.CreateTempSubdirectory("p2p-apikeys-efcore-").FullName;
}
