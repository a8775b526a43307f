using AdminApi.Data;
using P2P.ApiKeys;
using P2P.ApiKeys.EFCore;

namespace AdminApi.Hosting;

/// <summary>
/// How this node tells the others that a key changed, from <c>ApiKeys:ChangeNotifications</c>:
/// <list type="bullet">
/// <item><c>none</c>: other nodes see a change within <c>ApiKeys:CacheTtl</c> (the default on SQLite);</item>
/// <item><c>postgresql</c>: <c>LISTEN</c>/<c>NOTIFY</c> on the key database (the default on PostgreSQL);</item>
/// <item><c>redis</c>: Redis pub/sub on <c>ConnectionStrings:Redis</c>;</item>
/// <item><c>polling</c>: every node polls the change-feed table of the key database every
/// <c>ApiKeys:PollInterval</c> (default 1 s): for databases without push, such as one SQLite file shared by processes.</item>
/// </list>
/// Whatever fails, a node never accepts a revoked key longer than <c>ApiKeys:CacheTtl</c>.
/// </summary>
internal static class ChangeNotifications
{
    public const string Key = "ApiKeys:ChangeNotifications";

    public const string RedisConnectionStringName = "Redis";

    /// <exception cref="InvalidOperationException">An unknown choice, or one that lacks its connection string.</exception>
    public static string Add(ApiKeyAuthBuilder apiKeys, IConfiguration configuration, AdminApiDatabase database)
    {
        var choice = configuration[Key]?.Trim().ToLowerInvariant() is { Length: > 0 } configured
            ? configured
            : database.Provider == DatabaseProvider.PostgreSql ? "postgresql" : "none";
        switch (choice)
        {
            case "none":
                break;
            case "postgresql" when database.Provider == DatabaseProvider.PostgreSql:
                apiKeys.AddPostgreSqlChangeNotifications(database.ConnectionString);
                break;
            case "postgresql":
                throw new InvalidOperationException($"{Key}=postgresql needs Database:Provider=PostgreSql: the nodes listen on the key database.");
            case "redis":
                var redis = configuration.GetConnectionString(RedisConnectionStringName);
                if (string.IsNullOrWhiteSpace(redis))
                {
                    throw new InvalidOperationException(
                        $"{Key}=redis needs ConnectionStrings:{RedisConnectionStringName} (environment variable ConnectionStrings__Redis, e.g. '127.0.0.1:6379').");
                }

                apiKeys.AddRedisChangeNotifications(redis);
                break;
            case "polling":
                var interval = configuration.GetValue<TimeSpan?>("ApiKeys:PollInterval");
                Action<PollingChangeNotificationOptions> configure = o => o.PollInterval = interval ?? o.PollInterval;
                _ = database.Provider == DatabaseProvider.PostgreSql
                    ? apiKeys.AddPollingChangeNotifications<PostgreSqlAdminApiDbContext>(configure)
                    : apiKeys.AddPollingChangeNotifications<SqliteAdminApiDbContext>(configure);
                break;
            default:
                throw new InvalidOperationException($"{Key} must be 'none', 'postgresql', 'redis' or 'polling' (environment variable ApiKeys__ChangeNotifications).");
        }

        return choice;
    }
}
