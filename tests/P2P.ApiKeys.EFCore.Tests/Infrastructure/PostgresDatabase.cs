using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using P2P.ApiKeys.Testing;
using P2P.ApiKeys.EFCore.Stores;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.EFCore.Tests.Infrastructure;

/// <summary>
/// A fresh PostgreSQL database per test class (created from <c>P2P_POSTGRES</c>, dropped afterwards), with the
/// schema made by EnsureCreated. Without <c>P2P_POSTGRES</c> the tests skip, or fail under CI.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    private ServiceProvider? _services;

    public string? ConnectionString { get; private set; }

    private string? _databaseName;

    public async ValueTask InitializeAsync()
    {
        var admin = Infrastructure.PostgresConnectionString;
        if (admin is null)
        {
            return;
        }

        _databaseName = $"p2p_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{_databaseName}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = _databaseName }.ToString();
        _services = StoreServices.Build(o => o.UseNpgsql(ConnectionString), ContextRegistration.PooledFactory);
        await StoreServices.EnsureCreatedAsync(_services);
    }

    /// <summary>Empties every table and returns the services; skips (or fails under CI) without PostgreSQL.</summary>
    public async Task<IServiceProvider> ResetAsync()
    {
        if (_services is null)
        {
            Infrastructure.SkipOrFail("PostgreSQL tests need P2P_POSTGRES (an Npgsql connection string for a role with CREATEDB); it is not set.");
        }

        var services = _services!;
        await using var db = await services.GetRequiredService<IDbContextFactory<ApiKeysDbContext>>().CreateDbContextAsync();
        await db.Set<ApiKeyRecord>().ExecuteDeleteAsync();
        await db.Set<AdminUser>().ExecuteDeleteAsync();
        await db.Set<AdminAuditEntry>().ExecuteDeleteAsync();
        await db.Set<AdminBootstrapMarker>().ExecuteDeleteAsync();
        await db.Set<ApiKeyEventRecord>().ExecuteDeleteAsync();
        await db.Set<ApiKeyUsageRecord>().ExecuteDeleteAsync();
        return services;
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        if (_databaseName is not null)
        {
            await PostgresScratchDatabases.DropAsync(Infrastructure.PostgresConnectionString!, _databaseName);
        }
    }
}
