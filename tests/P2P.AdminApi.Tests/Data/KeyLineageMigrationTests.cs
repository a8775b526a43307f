using System.Globalization;
using AdminApi.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using P2P.AdminApi.Tests.Infrastructure;

namespace P2P.AdminApi.Tests.Data;

/// <summary>
/// The sample's <c>AddKeyLineage</c> migrations on a database that already holds keys: every key that replaces no
/// other starts its own lineage, and each replacement a rotation made joins the lineage of the first key of its chain,
/// so budgets counted per lineage carry over for keys rotated before the upgrade.
/// </summary>
public sealed class KeyLineageMigrationTests : IAsyncLifetime
{
    private const string Migration = "AddKeyLineage";

    private readonly string _directory = Directory.CreateTempSubdirectory("p2p-lineage-migration-").FullName;
    private readonly ScratchPostgresDatabase _postgres = new("p2p_lineage_migration", connectTimeoutSeconds: 30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await _postgres.CreateAsync();

    public async ValueTask DisposeAsync()
    {
        await _postgres.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task AddKeyLineage_OnSqliteWithRotatedKeys_GivesEachChainItsFirstKeysId()
    {
        var options = new DbContextOptionsBuilder<SqliteAdminApiDbContext>()
            .UseSqlite($"Data Source={Path.Combine(_directory, "upgrade.db")}").Options;
        await using var db = new SqliteAdminApiDbContext(options);
        await AssertChainsMigrateAsync(db, static id => $"'{id.ToString().ToUpperInvariant()}'", "X'00'");
    }

    [Fact]
    public async Task AddKeyLineage_OnPostgreSqlWithRotatedKeys_GivesEachChainItsFirstKeysId()
    {
        if (_postgres.ConnectionString is null)
        {
            const string reason = "The PostgreSQL migration test needs P2P_POSTGRES (an Npgsql connection string for a role with CREATEDB).";
            Assert.SkipWhen(Environment.GetEnvironmentVariable("P2P_REQUIRE_INFRA") != "1", reason);
            Assert.Fail(reason + " P2P_REQUIRE_INFRA=1 makes this a failure.");
        }

        var options = new DbContextOptionsBuilder<PostgreSqlAdminApiDbContext>().UseNpgsql(_postgres.ConnectionString).Options;
        await using var db = new PostgreSqlAdminApiDbContext(options);
        await AssertChainsMigrateAsync(db, static id => $"'{id}'", "decode('00', 'hex')");
    }

    private static async Task AssertChainsMigrateAsync(DbContext db, Func<Guid, string> guid, string hash)
    {
        var migrations = db.Database.GetMigrations().ToList();
        var index = migrations.FindIndex(m => m.EndsWith("_" + Migration, StringComparison.Ordinal));
        Assert.True(index > 0, "The sample has an AddKeyLineage migration after earlier ones.");
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(migrations[index - 1], Ct);

        // Two chains made by rotations before the upgrade (a → b → c, d → e) and a key never rotated (f).
        var (a, b, c, d, e, f) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        (Guid Id, Guid? ReplacedBy)[] rows = [(c, null), (a, b), (e, null), (b, c), (f, null), (d, e)];
        var number = 0;
        foreach (var (id, replacedBy) in rows)
        {
            number++;
            var sql = string.Create(CultureInfo.InvariantCulture,
                $"""
                INSERT INTO p2p_api_keys ("Id", "LookupId", "SecretHash", "Name", "Scopes", "Metadata", "Enabled", "CreatedAt", "ReplacedByKeyId", "ConcurrencyStamp")
                VALUES ({guid(id)}, 'lookup{number:D6}', {hash}, 'k{number}', '', '{"{}"}', TRUE, {number}, {(replacedBy is { } r ? guid(r) : "NULL")}, 'stamp{number}')
                """);
            await db.Database.OpenConnectionAsync(Ct);
            await using var insert = db.Database.GetDbConnection().CreateCommand();
#pragma warning disable CA2100 // Literals the test made itself, no input.
            insert.CommandText = sql;
#pragma warning restore CA2100
            await insert.ExecuteNonQueryAsync(Ct);
        }

        await migrator.MigrateAsync(null, Ct);

        var lineages = new Dictionary<Guid, Guid>();
        var connection = db.Database.GetDbConnection();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT \"Id\", \"LineageId\" FROM p2p_api_keys";
            await using var reader = await command.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct))
            {
                lineages[Guid.Parse(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!)] =
                    Guid.Parse(Convert.ToString(reader.GetValue(1), CultureInfo.InvariantCulture)!);
            }
        }

        Assert.Equal(a, lineages[a]);
        Assert.Equal(a, lineages[b]);
        Assert.Equal(a, lineages[c]);
        Assert.Equal(d, lineages[d]);
        Assert.Equal(d, lineages[e]);
        Assert.Equal(f, lineages[f]);
    }
}
