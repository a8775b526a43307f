using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace P2P.ApiKeys.EFCore.Tests.Infrastructure;

/// <summary>
/// Two per-connection settings for the test databases, neither of which changes what the stores do or what a race
/// decides. <c>PRAGMA synchronous = OFF</c>: SQLite still locks, journals and rolls back exactly as before, it only no
/// longer waits for the disk to confirm each commit (durability after a power cut, which no test observes); on a shared
/// VM disk each commit's syncs cost milliseconds, and the suites commit thousands of times.
/// <c>PRAGMA busy_timeout</c>: a writer that finds the file locked waits inside SQLite (a few milliseconds at a time)
/// instead of Microsoft.Data.Sqlite's retry loop, which sleeps 150 ms per attempt; the races (ten writers at once,
/// twenty rounds) then take milliseconds instead of seconds. The conflicts, and who wins, are the same.
/// </summary>
internal sealed class SqliteNoSync : DbConnectionInterceptor
{
    public static readonly SqliteNoSync Instance = new();

    private const string Pragmas = "PRAGMA synchronous = OFF; PRAGMA busy_timeout = 10000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The test databases' options: the file, no disk syncs, short waits on a lock.</summary>
    public static DbContextOptionsBuilder UseSqliteFile(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString).AddInterceptors(Instance);
}
