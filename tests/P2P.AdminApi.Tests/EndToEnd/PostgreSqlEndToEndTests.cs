using Npgsql;

namespace P2P.AdminApi.Tests.EndToEnd;

/// <summary>
/// The same seed run with <c>Database:Provider=PostgreSql</c>: start-up applies the PostgreSQL migrations to a
/// fresh, empty database (created here from <c>P2P_POSTGRES</c> and dropped afterwards), the workflow works,
/// and a restart keeps the state. Skips without <c>P2P_POSTGRES</c>, unless <c>P2P_REQUIRE_INFRA=1</c>.
/// </summary>
public sealed class PostgreSqlEndToEndTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("p2p-adminapi-e2e-pg-").FullName;
    private readonly string _databaseName = $"p2p_adminapi_e2e_{Guid.NewGuid():N}";
    private string? _serverConnectionString;
    private string? _connectionString;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _serverConnectionString = Environment.GetEnvironmentVariable("P2P_POSTGRES") is { Length: > 0 } value ? value : null;
        if (_serverConnectionString is null)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{_databaseName}\"", connection);
        await command.ExecuteNonQueryAsync();
        _connectionString = new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = _databaseName, Timeout = 5 }.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (_connectionString is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_serverConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_databaseName}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    [Fact]
    public async Task SeedWorkflow_OnPostgreSql_MigratesAFreshDatabaseAndKeepsStateAcrossARestart()
    {
        if (_connectionString is null)
        {
            const string reason = "The PostgreSQL end-to-end test needs P2P_POSTGRES (an Npgsql connection string for a role with CREATEDB).";
            if (Environment.GetEnvironmentVariable("P2P_REQUIRE_INFRA") == "1")
            {
                Assert.Fail(reason + " P2P_REQUIRE_INFRA=1 makes this a failure.");
            }

            Assert.Skip(reason);
        }

        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "PostgreSql",
            ["ConnectionStrings:ApiKeys"] = _connectionString,
        };

        string seedKey;
        string revokedKey;
        await using (var host = SampleHost.Start(_dataDirectory, settings))
        {
            (seedKey, revokedKey) = await SeedWorkflow.RunAsync(host, Ct);
        }

        // PostgreSQL holds the state, not a stray SQLite file.
        Assert.False(File.Exists(Path.Combine(_dataDirectory, "adminapi.db")));
        await using (var connection = new NpgsqlConnection(_connectionString))
        {
            await connection.OpenAsync(Ct);
            await using var command = new NpgsqlCommand("SELECT count(*) FROM \"__EFMigrationsHistory\"", connection);
            Assert.Equal(1L, (long)(await command.ExecuteScalarAsync(Ct))!);
        }

        await using (var restarted = SampleHost.Start(_dataDirectory, settings))
        {
            await SeedWorkflow.AssertStateSurvivedAsync(restarted.Client, seedKey, revokedKey, Ct);
        }
    }
}
