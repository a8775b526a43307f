namespace AdminApi.Data;

/// <summary>The database behind the API-key stores, chosen by <c>Database:Provider</c>.</summary>
public enum DatabaseProvider
{
    /// <summary>The default: a file in the data directory, nothing to install.</summary>
    Sqlite,

    /// <summary>For several nodes sharing one store; needs <c>ConnectionStrings:ApiKeys</c>.</summary>
    PostgreSql,
}
