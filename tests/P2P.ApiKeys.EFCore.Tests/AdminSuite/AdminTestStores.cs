using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.EFCore;
using P2P.ApiKeys.EFCore.Tests.Infrastructure;
using P2P.Tests.Shared;

// Same namespace as the linked admin suite (tests/P2P.ApiKeys.Tests/Admin), which calls this class.
namespace P2P.ApiKeys.Tests.Admin;

/// <summary>
/// Runs the admin-endpoint functional suite on the EF Core stores (with <c>P2P_FULL_TESTS=1</c>): every host gets its own
/// real SQLite file, a copy of the schema template, opened without disk syncs (<see cref="SqliteNoSync"/>).
/// </summary>
internal static class AdminTestStores
{
    private static readonly string Directory = CreateDirectory();

    public static void Add(ApiKeyAuthBuilder builder)
    {
        // The same suite runs on the in-memory stores in P2P.ApiKeys.Tests by default, the EF Core stores' own
        // conformance suites run here by default, and the AdminApi sample's tests run the endpoints on SQLite: this
        // second full pass (about 250 hosts) is for CI.
        Assert.SkipUnless(FullTests.Enabled,
            "The admin-endpoint suite on EF Core over SQLite (a second pass of the in-memory one): set P2P_FULL_TESTS=1 to run it (.ci/run does)");
        var path = Path.Combine(Directory, $"admin-{Guid.NewGuid():N}.db");
        SqliteSchemaTemplate.CopyTo(path); // the schema, as EnsureCreated makes it, without making it again per host
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        builder.Services.AddDbContextFactory<ApiKeysDbContext>(o => SqliteNoSync.UseSqliteFile(o, connectionString));
        builder.AddEntityFrameworkCoreStores<ApiKeysDbContext>();
    }

    public static Task InitializeAsync(IServiceProvider services) => Task.CompletedTask;

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
