using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using P2P.ApiKeys.EFCore.Stores;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.EFCore.Tests.Model;

public sealed class ApiKeysModelTests
{
    private static ApiKeysDbContext Sqlite() => new(new DbContextOptionsBuilder<ApiKeysDbContext>().UseSqlite("Data Source=:memory:").Options);

    private static ApiKeysDbContext Postgres() => new(new DbContextOptionsBuilder<ApiKeysDbContext>().UseNpgsql("Host=localhost").Options);

    public static TheoryData<string> Providers => ["sqlite", "postgres"];

    private static ApiKeysDbContext Create(string provider) => provider == "sqlite" ? Sqlite() : Postgres();

    [Theory]
    [MemberData(nameof(Providers))]
    public void Model_MapsEachEntityToItsPrefixedTable(string provider)
    {
        using var db = Create(provider);
        Assert.Equal("p2p_api_keys", db.Model.FindEntityType(typeof(ApiKeyRecord))!.GetTableName());
        Assert.Equal("p2p_admin_users", db.Model.FindEntityType(typeof(AdminUser))!.GetTableName());
        Assert.Equal("p2p_admin_audit", db.Model.FindEntityType(typeof(AdminAuditEntry))!.GetTableName());
        Assert.Equal("p2p_admin_bootstrap", db.Model.FindEntityType(typeof(AdminBootstrapMarker))!.GetTableName());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Model_LookupIdAndNormalizedUserName_HaveUniqueIndexes(string provider)
    {
        using var db = Create(provider);
        AssertIndex(db.Model.FindEntityType(typeof(ApiKeyRecord))!, nameof(ApiKeyRecord.LookupId), unique: true);
        AssertIndex(db.Model.FindEntityType(typeof(AdminUser))!, nameof(AdminUser.NormalizedUserName), unique: true);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Model_ListingColumns_AreIndexed(string provider)
    {
        using var db = Create(provider);
        AssertIndex(db.Model.FindEntityType(typeof(ApiKeyRecord))!, nameof(ApiKeyRecord.CreatedAt), unique: false);
        AssertIndex(db.Model.FindEntityType(typeof(AdminUser))!, nameof(AdminUser.CreatedAt), unique: false);
        AssertIndex(db.Model.FindEntityType(typeof(AdminAuditEntry))!, nameof(AdminAuditEntry.OccurredAt), unique: false);
    }

    [Fact]
    public void Model_TextColumns_AreBoundedByTheContractConstants()
    {
        using var db = Sqlite();
        var key = db.Model.FindEntityType(typeof(ApiKeyRecord))!;
        Assert.Equal(ApiKeyRecord.MaxNameLength, key.FindProperty(nameof(ApiKeyRecord.Name))!.GetMaxLength());
        Assert.Equal(ApiKeyRecord.MaxOwnerLength, key.FindProperty(nameof(ApiKeyRecord.Owner))!.GetMaxLength());
        Assert.Equal(ApiKeyRecord.MaxScopes * (ApiKeyRecord.MaxScopeLength + 1), key.FindProperty(nameof(ApiKeyRecord.Scopes))!.GetMaxLength());
        Assert.Equal(32, key.FindProperty(nameof(ApiKeyRecord.LookupId))!.GetMaxLength());
        Assert.Equal(64, key.FindProperty(nameof(ApiKeyRecord.SecretHash))!.GetMaxLength());

        var admin = db.Model.FindEntityType(typeof(AdminUser))!;
        Assert.Equal(AdminUser.MaxUserNameLength, admin.FindProperty(nameof(AdminUser.UserName))!.GetMaxLength());
        Assert.Equal(AdminUser.MaxUserNameLength, admin.FindProperty(nameof(AdminUser.NormalizedUserName))!.GetMaxLength());

        var audit = db.Model.FindEntityType(typeof(AdminAuditEntry))!;
        Assert.Equal(AdminAuditEntry.MaxActionLength, audit.FindProperty(nameof(AdminAuditEntry.Action))!.GetMaxLength());
        Assert.Equal(AdminAuditEntry.MaxTextLength, audit.FindProperty(nameof(AdminAuditEntry.Actor))!.GetMaxLength());
        Assert.Equal(AdminAuditEntry.MaxTextLength, audit.FindProperty(nameof(AdminAuditEntry.Target))!.GetMaxLength());
        Assert.Equal(AdminAuditEntry.MaxTextLength, audit.FindProperty(nameof(AdminAuditEntry.ClientAddress))!.GetMaxLength());
    }

    [Fact]
    public void Model_MutableRows_HaveConcurrencyTokens()
    {
        using var db = Sqlite();
        Assert.True(db.Model.FindEntityType(typeof(ApiKeyRecord))!.FindProperty(nameof(ApiKeyRecord.ConcurrencyStamp))!.IsConcurrencyToken);
        Assert.True(db.Model.FindEntityType(typeof(AdminUser))!.FindProperty(nameof(AdminUser.ConcurrencyStamp))!.IsConcurrencyToken);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Model_TimestampsAreIntegerTicks_ScopesAreBoundedText(string provider)
    {
        using var db = Create(provider);
        var key = db.Model.FindEntityType(typeof(ApiKeyRecord))!;
        foreach (var name in new[] { nameof(ApiKeyRecord.CreatedAt), nameof(ApiKeyRecord.ExpiresAt), nameof(ApiKeyRecord.RevokedAt), nameof(ApiKeyRecord.LastUsedAt) })
        {
            Assert.Equal(typeof(long), key.FindProperty(name)!.GetTypeMapping().Converter!.ProviderClrType);
        }

        var scopes = key.FindProperty(nameof(ApiKeyRecord.Scopes))!;
        Assert.Equal(typeof(string), scopes.GetTypeMapping().Converter!.ProviderClrType);
        if (provider == "postgres")
        {
            Assert.Equal("character varying(3232)", scopes.GetColumnType());
        }
    }

    [Fact]
    public void CreateScript_Postgres_HasBoundedColumnsAndUniqueIndexes()
    {
        using var db = Postgres();
        var script = db.Database.GenerateCreateScript();
        Assert.Contains("CREATE TABLE p2p_api_keys", script, StringComparison.Ordinal);
        Assert.Contains("\"LookupId\" character varying(32) NOT NULL", script, StringComparison.Ordinal);
        Assert.Contains("\"Name\" character varying(100) NOT NULL", script, StringComparison.Ordinal);
        Assert.Contains("\"CreatedAt\" bigint NOT NULL", script, StringComparison.Ordinal);
        Assert.Contains("CREATE UNIQUE INDEX \"IX_p2p_api_keys_LookupId\"", script, StringComparison.Ordinal);
        Assert.Contains("CREATE UNIQUE INDEX \"IX_p2p_admin_users_NormalizedUserName\"", script, StringComparison.Ordinal);
    }

    [Fact]
    public void HostContext_ApplyApiKeysModel_KeepsTheHostsOwnTables()
    {
        using var db = new HostDbContext(new DbContextOptionsBuilder<HostDbContext>().UseSqlite("Data Source=:memory:").Options);
        Assert.Equal("invoices", db.Model.FindEntityType(typeof(HostInvoice))!.GetTableName());
        Assert.Equal("p2p_api_keys", db.Model.FindEntityType(typeof(ApiKeyRecord))!.GetTableName());
    }

    private static void AssertIndex(IEntityType entity, string property, bool unique)
    {
        var index = Assert.Single(entity.GetIndexes(), i => i.Properties.Count == 1 && i.Properties[0].Name == property);
        Assert.Equal(unique, index.IsUnique);
    }
}

/// <summary>A host's own context: its own tables plus the P2P.ApiKeys model.</summary>
public sealed class HostDbContext(DbContextOptions<HostDbContext> options) : DbContext(options)
{
    public DbSet<HostInvoice> Invoices => Set<HostInvoice>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<HostInvoice>().ToTable("invoices");
        modelBuilder.ApplyApiKeysModel();
    }
}

public sealed class HostInvoice
{
    public int Id { get; set; }

    public decimal Amount { get; set; }
}

/// <summary>A context that forgot to call ApplyApiKeysModel.</summary>
public sealed class ForgetfulDbContext(DbContextOptions<ForgetfulDbContext> options) : DbContext(options)
{
    public DbSet<HostInvoice> Invoices => Set<HostInvoice>();
}
