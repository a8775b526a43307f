using Microsoft.Extensions.Logging;

namespace P2P.ApiKeys.Authentication;

/// <summary>
/// The logger factory handed to <see cref="Authentication.ApiKeyAuthenticationHandler"/>. The handler is
/// created per request and its base class asks the factory for its logger in the constructor;
/// <see cref="LoggerFactory.CreateLogger"/> takes the factory's lock every time, a lock per request shared
/// by every thread. This asks once and hands back the same logger (the factory's own instance, which it
/// keeps up to date when providers or filters change) without a lock.
/// </summary>
internal sealed class ApiKeyHandlerLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private volatile CategoryLogger? _last;

    public ILogger CreateLogger(string categoryName)
    {
        var last = _last;
        if (last is not null && string.Equals(last.Category, categoryName, StringComparison.Ordinal))
        {
            return last.Logger;
        }

        var logger = inner.CreateLogger(categoryName);
        _last = new CategoryLogger(categoryName, logger);
        return logger;
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    /// <summary>Nothing to release: the container owns the inner factory.</summary>
    public void Dispose()
    {
    }

    private sealed record CategoryLogger(string Category, ILogger Logger);
}
