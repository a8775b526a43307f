using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace P2P.ApiKeys.EFCore.Tests.Infrastructure;

/// <summary>
/// One SQLite file with the <see cref="ApiKeysDbContext"/> schema, made once per test run by <c>EnsureCreated</c>; every
/// test database that needs that schema is a copy of it. A copy is one file write; <c>EnsureCreated</c> is the model
/// diff, a dozen DDL statements and their journal syncs, and the suites make hundreds of databases (each race round
/// its own). The copies are real, separate SQLite files all the same.
/// </summary>
internal static class SqliteSchemaTemplate
{
    private static readonly Lazy<string> Template = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Writes a fresh database with the schema to <paramref name="path"/> (which must not exist yet).</summary>
    public static void CopyTo(string path) => File.Copy(Template.Value, path);

    private static string Create()
    {
        var directory = Directory.CreateTempSubdirectory("p2p-apikeys-schema-").FullName;
        var path = Path.Combine(directory, "template.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        using (var db = new ApiKeysDbContext(new DbContextOptionsBuilder<ApiKeysDbContext>().UseSqlite(connectionString).Options))
        {
            db.Database.EnsureCreated();
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return path;
    }
}
