using Microsoft.EntityFrameworkCore;
using Npgsql;
using P2P.ApiKeys.Testing;
using P2P.ApiKeys.EFCore;

namespace P2P.ApiKeys.PostgreSql.Tests.ChangeNotifications;

/// <summary>
/// A fresh PostgreSQL database per test class, created from <c>P2P_POSTGRES</c> with the library's schema and
/// dropped afterwards. Without <c>P2P_POSTGRES</c> the tests skip, or fail under <c>P2P_REQUIRE_INFRA=1</c> (CI).
/// </summary>
public sealed class PostgreSqlDatabase : IAsyncLifetime
{
    private static readonly string? Server = Environment.GetEnvironmentVariable("P2P_POSTGRES") is { Length: > 0 } value ? value : null;
    private readonly string _name = $"p2p_notify_{Guid.NewGuid():N}";
    private string? _connectionString;

    /// <summary>The database's connection string; skips (or fails under CI) without PostgreSQL.</summary>
    public string ConnectionString
    {
        get
        {
            if (_connectionString is null)
            {
                const string reason = "PostgreSQL notifier tests need P2P_POSTGRES (an Npgsql connection string for a role with CREATEDB); it is not set.";
                if (Environment.GetEnvironmentVariable("P2P_REQUIRE_INFRA") == "1")
                {
                    Assert.Fail(reason + " P2P_REQUIRE_INFRA=1 makes this a failure.");
                }

                Assert.Skip(reason);
            }

            return _connectionString!;
        }
    }

    /// <summary>The connection string with an application name, so that a test can find a node's connections.</summary>
    public string ConnectionStringFor(string applicationName) =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { ApplicationName = applicationName }.ToString();

    public async ValueTask InitializeAsync()
    {
        if (Server is null)
        {
            return;
        }

        await using (var connection = new NpgsqlConnection(Server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{_name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        _connectionString = new NpgsqlConnectionStringBuilder(Server) { Database = _name, Timeout = 30 }.ToString();
        await using var db = new ApiKeysDbContext(new DbContextOptionsBuilder<ApiKeysDbContext>().UseNpgsql(_connectionString).Options);
        await db.Database.EnsureCreatedAsync();
    }

    /// <summary>Terminates every connection of <paramref name="applicationName"/>, as a failover or a DBA would.</summary>
    public async Task<int> TerminateConnectionsAsync(string applicationName)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            + "WHERE datname = current_database() AND application_name = $1) AS t", connection);
        command.Parameters.AddWithValue(applicationName);
        return (int)(long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connectionString is null)
        {
            return;
        }

        await PostgresScratchDatabases.DropAsync(Server!, _name);
    }
}
