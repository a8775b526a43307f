using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using P2P.ApiKeys.Authentication;

namespace P2P.ApiKeys.Tests.Authentication;

public sealed class ApiKeyHandlerLoggerFactoryTests
{
    [Fact]
    public void CreateLogger_SameCategory_ReturnsTheInnerFactorysLogger()
    {
        using var inner = LoggerFactory.Create(_ => { });
        using var factory = new ApiKeyHandlerLoggerFactory(inner);

        var first = factory.CreateLogger("Handler");

        Assert.Same(inner.CreateLogger("Handler"), first);
        Assert.Same(first, factory.CreateLogger("Handler"));
        Assert.Same(inner.CreateLogger("Other"), factory.CreateLogger("Other"));
        Assert.Same(first, factory.CreateLogger("Handler"));
    }

    [Fact]
    public async Task CreateLogger_ParallelCallers_AllGetTheInnerFactorysLogger()
    {
        using var inner = LoggerFactory.Create(_ => { });
        using var factory = new ApiKeyHandlerLoggerFactory(inner);
        var expected = inner.CreateLogger("Handler");

        var loggers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            Enumerable.Range(0, 1_000).Select(_ => factory.CreateLogger("Handler")).Distinct().ToArray(), TestContext.Current.CancellationToken)));

        Assert.All(loggers, l => Assert.Same(expected, Assert.Single(l)));
    }

    [Fact]
    public void CreateLogger_ProviderAddedAfterwards_ReceivesTheCachedLoggersMessages()
    {
        using var inner = LoggerFactory.Create(_ => { });
        using var factory = new ApiKeyHandlerLoggerFactory(inner);
        var logger = factory.CreateLogger("Handler");
        using var provider = new FakeLoggerProvider();

        factory.AddProvider(provider);
        logger.LogWarning("after the provider");

        Assert.Equal("after the provider", provider.Collector.LatestRecord.Message);
    }
}
