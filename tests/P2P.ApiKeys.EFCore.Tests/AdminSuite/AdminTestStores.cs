using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.EFCore;

// Same namespace as the linked admin suite (tests/P2P.ApiKeys.Tests/Admin), which calls this class.
namespace P2P.ApiKeys.Tests.Admin;

/// <summary>
/// Runs the admin-endpoint functional suite on the EF Core stores: every host gets its own real SQLite file.
/// </summary>
internal static class AdminTestStores
{
    private static readonly string Directory = CreateDirectory();

    public static void Add(ApiKeyAuthBuilder builder)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(Directory, $"admin-{Guid.NewGuid():N}.db"),
            Pooling = false,
        }.ToString();
        builder.Services.AddDbContextFactory<ApiKeysDbContext>(o => o.UseSqlite(connectionString));
        builder.AddEntityFrameworkCoreStores<ApiKeysDbContext>();
    }

    public static async Task InitializeAsync(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IDbContextFactory<ApiKeysDbContext>>();
        await using var db = await factory.CreateDbContextAsync(TestContext.Current.CancellationToken);
        await db.Database.EnsureCreatedAsync(TestContext.Current.CancellationToken);
    }

    private static string CreateDirectory()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("p2p-admin-suite-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { System.IO.Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return directory;
    }
}
