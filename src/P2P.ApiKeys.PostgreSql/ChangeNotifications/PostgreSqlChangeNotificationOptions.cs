using Npgsql;

namespace P2P.ApiKeys.PostgreSql;

/// <summary>Settings of the PostgreSQL <c>LISTEN</c>/<c>NOTIFY</c> change notifier.</summary>
public sealed class PostgreSqlChangeNotificationOptions
{
    /// <summary>The default <see cref="Channel"/>.</summary>
    public const string DefaultChannel = "p2p_api_key_changes";

    /// <summary>
    /// The Npgsql connection string of the database every node shares. Ignored when <see cref="DataSource"/> is set.
    /// </summary>
    /// <remarks>
    /// Defaults to <see langword="null"/>: then <see cref="DataSource"/>, or else an <see cref="NpgsqlDataSource"/>
    /// registered in the service collection (for example by <c>AddNpgsqlDataSource</c>), is used.
    /// </remarks>
    public string? ConnectionString { get; set; }

    /// <summary>The data source to publish and listen with; the host owns and disposes it.</summary>
    /// <remarks>Defaults to <see langword="null"/>: see <see cref="ConnectionString"/>.</remarks>
    public NpgsqlDataSource? DataSource { get; set; }

    /// <summary>
    /// The notification channel. Every node of one deployment uses the same database and channel; two deployments
    /// on one database use two channels.
    /// </summary>
    /// <remarks>Defaults to <c>p2p_api_key_changes</c>. 1 to 63 characters: lower-case ASCII letters, digits and <c>_</c>, not starting with a digit.</remarks>
    public string Channel { get; set; } = DefaultChannel;

    /// <summary>How long the listener waits before it connects again after it lost its connection.</summary>
    /// <remarks>
    /// Defaults to 1 second. Until it listens again this node relies on <see cref="ApiKeyOptions.CacheTtl"/>;
    /// when it does, it clears its cache.
    /// </remarks>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the listening connection may stay silent before the listener checks it with a round trip, so
    /// that a connection lost without a word (a dropped network path) is noticed and replaced.
    /// </summary>
    /// <remarks>Defaults to 15 seconds.</remarks>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);
}
