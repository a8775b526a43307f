using Npgsql;

namespace P2P.ApiKeys.Testing;

/// <summary>Dropping a test's own PostgreSQL database, shared by every test project that makes one.</summary>
internal static class PostgresScratchDatabases
{
    /// <summary>
    /// Drops <paramref name="databaseName"/> and ends its connections. <c>WITH (FORCE)</c> refuses (42501) while a
    /// backend of another role is in it — an autovacuum worker after a test's writes — and a plain drop refuses
    /// (55006) while anything is connected, so both are retried for a few seconds. Cleanup is best effort: a database
    /// left behind does not change any test's result, so the last refusal is not thrown.
    /// </summary>
    public static async Task DropAsync(string serverConnectionString, string databaseName)
    {
        NpgsqlConnection.ClearAllPools();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(serverConnectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{databaseName}\" WITH (FORCE)", connection);
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse)
            {
                if (attempt == 40)
                {
                    return;
                }

                await Task.Delay(250);
            }
        }
    }
}
