using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using P2P.ApiKeys.EFCore.Tests.Infrastructure;

namespace P2P.ApiKeys.EFCore.Tests.Faults;

/// <summary>
/// Authentication against a database that is down answers 503 ProblemDetails (fail closed, never 500, never the
/// key), and the same host serves the key again once the database is back, with no restart (SECURITY rule 19).
/// </summary>
public sealed class AuthenticationOutageTests : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("p2p-outage-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Authenticate_PostgresUnreachable_Returns503ThenRecovers()
    {
        var admin = Infrastructure.Infrastructure.PostgresConnectionString;
        if (admin is null)
        {
            Infrastructure.Infrastructure.SkipOrFail("PostgreSQL outage test needs P2P_POSTGRES; it is not set.");
        }

        var target = new NpgsqlConnectionStringBuilder(admin);
        var addresses = await Dns.GetHostAddressesAsync(target.Host!, Ct);
        await using var forwarder = new TcpForwarder(new IPEndPoint(addresses[0], target.Port));
        forwarder.Start();
        var databaseName = $"p2p_outage_{Guid.NewGuid():N}";
        await ExecuteAsync(admin!, $"CREATE DATABASE \"{databaseName}\"");
        try
        {
            var viaForwarder = new NpgsqlConnectionStringBuilder(admin)
            {
                Host = "127.0.0.1",
                Port = forwarder.Port,
                Database = databaseName,
                Timeout = 3,
                CommandTimeout = 5,
            }.ToString();
            await using var node = await ApiKeyNode.StartAsync(o => o.UseNpgsql(viaForwarder), o => o.CacheTtl = TimeSpan.Zero);
            var (key, _) = await ApiKeyNode.CreateKeyAsync(node, DateTimeOffset.UtcNow);
            Assert.Equal(HttpStatusCode.OK, await ApiKeyNode.StatusAsync(node, key));

            await forwarder.StopAsync();
            await AssertServiceUnavailableAsync(node, key);

            forwarder.Start();
            await AssertRecoversAsync(node, key);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin!, $"DROP DATABASE IF EXISTS \"{databaseName}\" WITH (FORCE)");
        }
    }

    [Fact]
    public async Task Authenticate_SqliteFileGone_Returns503ThenRecovers()
    {
        var data = Path.Combine(_directory, "data");
        Directory.CreateDirectory(data);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(data, "keys.db"), Pooling = false }.ToString();
        await using var node = await ApiKeyNode.StartAsync(o => o.UseSqlite(connectionString), o => o.CacheTtl = TimeSpan.Zero);
        var (key, _) = await ApiKeyNode.CreateKeyAsync(node, DateTimeOffset.UtcNow);
        Assert.Equal(HttpStatusCode.OK, await ApiKeyNode.StatusAsync(node, key));

        // The database goes away (its directory with it)...
        Directory.Move(data, data + ".away");
        await AssertServiceUnavailableAsync(node, key);

        // ...and comes back: the same host serves the same key again.
        Directory.Move(data + ".away", data);
        await AssertRecoversAsync(node, key);
    }

    private static async Task AssertServiceUnavailableAsync(Microsoft.AspNetCore.Builder.WebApplication node, string key)
    {
        using var response = await ApiKeyNode.CallAsync(node, key);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain(key, body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal); // no stack trace
    }

    private static async Task AssertRecoversAsync(Microsoft.AspNetCore.Builder.WebApplication node, string key)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        var status = HttpStatusCode.ServiceUnavailable;
        while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            status = await ApiKeyNode.StatusAsync(node, key);
            Assert.NotEqual(HttpStatusCode.InternalServerError, status);
            if (status != HttpStatusCode.OK)
            {
                await Task.Delay(100, Ct);
            }
        }

        Assert.Equal(HttpStatusCode.OK, status);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    public ValueTask DisposeAsync()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}
