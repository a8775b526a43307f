using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using P2P.ApiKeys.EFCore.Tests.Infrastructure;

namespace P2P.ApiKeys.EFCore.Tests.Faults;

/// <summary>
/// Authentication against a database that is down answers 503 ProblemDetails (fail closed, never 500, never the
/// key), and the same host serves the key again once the database is back, with no restart (docs/security.md rule 19).
/// </summary>
public sealed class AuthenticationOutageTests : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("p2p-outage-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Authenticate_PostgresUnreachable_Returns503ThenRecovers()
    {
        await using var database = await RelayedPostgresDatabase.CreateAsync("outage", Ct);
        await using var node = await ApiKeyNode.StartAsync(o => o.UseNpgsql(database.ConnectionString), o => o.CacheTtl = TimeSpan.Zero);
        var (key, _) = await ApiKeyNode.CreateKeyAsync(node);
        Assert.Equal(HttpStatusCode.OK, await ApiKeyNode.StatusAsync(node, key));

        await database.Relay.StopAsync();
        await AssertServiceUnavailableAsync(node, key);

        database.Relay.Start();
        await AssertRecoversAsync(node, key);
    }

    [Fact]
    public async Task Authenticate_SqliteFileGone_Returns503ThenRecovers()
    {
        var data = Path.Combine(_directory, "data");
        Directory.CreateDirectory(data);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(data, "keys.db"), Pooling = false }.ToString();
        await using var node = await ApiKeyNode.StartAsync(o => o.UseSqlite(connectionString), o => o.CacheTtl = TimeSpan.Zero);
        var (key, _) = await ApiKeyNode.CreateKeyAsync(node);
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
        var deadline = DateTime.UtcNow.AddMinutes(1); // a hang guard, not a timing assertion
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

    public ValueTask DisposeAsync()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}
