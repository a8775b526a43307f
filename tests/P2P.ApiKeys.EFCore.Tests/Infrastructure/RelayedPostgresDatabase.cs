using System.Net;
using Npgsql;
using P2P.ApiKeys.Testing;

namespace P2P.ApiKeys.EFCore.Tests.Infrastructure;

/// <summary>
/// A fresh PostgreSQL database reached through a <see cref="TcpForwarder"/> that a test can stop and start, to
/// take the database away and bring it back. Skips (or fails under CI) without <c>P2P_POSTGRES</c>; the database
/// is dropped on dispose.
/// </summary>
internal sealed class RelayedPostgresDatabase : IAsyncDisposable
{
    private readonly string _admin;
    private readonly string _databaseName;

    private RelayedPostgresDatabase(string admin, string databaseName, TcpForwarder relay, string connectionString)
    {
        _admin = admin;
        _databaseName = databaseName;
        Relay = relay;
        ConnectionString = connectionString;
    }

    /// <summary>Stop it for an outage, start it again for the recovery.</summary>
    public TcpForwarder Relay { get; }

    /// <summary>Through the relay, with short connect and command timeouts so that an outage shows promptly.</summary>
    public string ConnectionString { get; }

    public static async Task<RelayedPostgresDatabase> CreateAsync(string purpose, CancellationToken cancellationToken)
    {
        var admin = Infrastructure.PostgresConnectionString;
        if (admin is null)
        {
            Infrastructure.SkipOrFail($"The PostgreSQL {purpose} test needs P2P_POSTGRES; it is not set.");
        }

        var target = new NpgsqlConnectionStringBuilder(admin);
        var addresses = await Dns.GetHostAddressesAsync(target.Host!, cancellationToken);
        var relay = new TcpForwarder(new IPEndPoint(addresses[0], target.Port));
        relay.Start();
        var databaseName = $"p2p_{purpose}_{Guid.NewGuid():N}";
        try
        {
            await ExecuteAsync(admin!, $"CREATE DATABASE \"{databaseName}\"", cancellationToken);
        }
        catch
        {
            await relay.DisposeAsync();
            throw;
        }

        var connectionString = new NpgsqlConnectionStringBuilder(admin)
        {
            Host = "127.0.0.1",
            Port = relay.Port,
            Database = databaseName,
            Timeout = 3,
            CommandTimeout = 5,
        }.ToString();
        return new RelayedPostgresDatabase(admin!, databaseName, relay, connectionString);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await PostgresScratchDatabases.DropAsync(_admin, _databaseName);
        }
        finally
        {
            await Relay.DisposeAsync();
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
