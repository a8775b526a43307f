using Npgsql;
using P2P.ApiKeys.Testing;

namespace P2P.AdminApi.Tests.Infrastructure;

/// <summary>
/// A database of the test's own on the server that <c>P2P_POSTGRES</c> names: created on <see cref="CreateAsync"/>,
/// dropped (with its connections) on <see cref="DisposeAsync"/>. Without <c>P2P_POSTGRES</c>,
/// <see cref="ConnectionString"/> stays <see langword="null"/> and the caller skips (or fails under CI).
/// </summary>
internal sealed class ScratchPostgresDatabase(string namePrefix, int connectTimeoutSeconds) : IAsyncDisposable
{
    private readonly string _name = $"{namePrefix}_{Guid.NewGuid():N}";
    private readonly string? _server = Environment.GetEnvironmentVariable("P2P_POSTGRES") is { Length: > 0 } value ? value : null;

    /// <summary>The connection string of the scratch database, or <see langword="null"/> without a server.</summary>
    public string? ConnectionString { get; private set; }

    public async Task CreateAsync()
    {
        if (_server is null)
        {
            return;
        }

        await ExecuteOnServerAsync($"CREATE DATABASE \"{_name}\"");
        ConnectionString = new NpgsqlConnectionStringBuilder(_server) { Database = _name, Timeout = connectTimeoutSeconds }.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (ConnectionString is null)
        {
            return;
        }

        await PostgresScratchDatabases.DropAsync(_server!, _name);
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
