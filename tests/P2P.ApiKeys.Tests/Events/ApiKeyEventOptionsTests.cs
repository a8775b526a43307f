using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Events;
using P2P.ApiKeys.Management;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Tests.Events;

public sealed class ApiKeyEventOptionsTests
{
    private const string GoodSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("not a url", GoodSecret, "Url")]
    [InlineData("ftp://example.com/hook", GoodSecret, "Url")]
    [InlineData("https://user:pw@example.com/hook", GoodSecret, "Url")]
    [InlineData("https://example.com/hook", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "Secret")]
    [InlineData("https://example.com/hook", "whsec_c2hvcnQ=", "Secret")]
    [InlineData("https://example.com/hook", "whsec_***not base64***", "Secret")]
    [InlineData("https://example.com/hook", null, "Secret")]
    public void BadEndpoint_FailsAtStartWithTheSettingNamedAndNoSecretShown(string url, string? secret, string setting)
    {
        using var services = Build(o => o.Endpoints.Add(new ApiKeyWebhookEndpoint { Url = url, Secret = secret }));

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ApiKeyEventOptions>>().Value);

        Assert.Contains($"Webhooks:Endpoints:0:{setting}", failure.Message, StringComparison.Ordinal);
        if (secret is { Length: > 6 })
        {
            Assert.DoesNotContain(secret[6..], failure.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void UnknownEventTypeOrBadSchedule_FailsAtStart()
    {
        var endpoint = new ApiKeyWebhookEndpoint { Url = "https://example.com/hook", Secret = GoodSecret };
        endpoint.Events.Add("api_key.exploded");
        using var services = Build(o =>
        {
            o.Endpoints.Add(endpoint);
            o.Retry.InitialDelay = TimeSpan.Zero;
        });

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ApiKeyEventOptions>>().Value);

        Assert.Contains("Webhooks:Endpoints:0:Events", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Webhooks:Retry", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InMemoryStores_HandlerSeesEachChangeOnce_AndNothingForAFailedOne()
    {
        var seen = new List<ApiKeyEvent>();
        using var services = Build(_ => { }, s => s.AddSingleton<IApiKeyEventHandler>(new Recorder(seen)));
        var manager = services.GetRequiredService<IApiKeyManager>();
        var id = (await manager.CreateAsync(new() { Name = "k", Actor = AuditActor.Host("signup") }, Ct)).Value!.Record.Id;
        await manager.UpdateAsync(id, new() { Enabled = false }, Ct);
        Assert.Equal(ApiKeyError.Conflict, (await manager.RotateAsync(id, TimeSpan.Zero, Ct)).Error); // disabled: refused, no event

        var dispatcher = services.GetRequiredService<ApiKeyEventDispatcher>();
        Assert.Equal(2, await dispatcher.DispatchOnceAsync(Ct));
        Assert.Equal(0, await dispatcher.DispatchOnceAsync(Ct));

        // Both changes fall in one millisecond and are handled in parallel, so their order is not defined (docs/events.md, "No order").
        Assert.Equal(["api_key.created", "api_key.disabled"], seen.Select(e => e.Type).Order());
        Assert.Equal("signup", seen.Single(e => e.Type == "api_key.created").Data.GetProperty("actor").GetProperty("name").GetString());
        Assert.All(seen, e => Assert.StartsWith("evt_", e.Id, StringComparison.Ordinal));
        Assert.Equal(2, seen.Select(e => e.Id).Distinct().Count());
    }

    private static ServiceProvider Build(Action<ApiKeyEventOptions> configure, Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRouting();
        services.AddApiKeyAuth().AddInMemoryStores().AddApiKeyEvents(configure);
        more?.Invoke(services);
        return services.BuildServiceProvider();
    }

    private sealed class Recorder(List<ApiKeyEvent> seen) : IApiKeyEventHandler
    {
        public Task HandleAsync(ApiKeyEvent apiKeyEvent, CancellationToken cancellationToken)
        {
            lock (seen)   // the dispatcher calls handlers for several events at once
            {
                seen.Add(apiKeyEvent);
            }

            return Task.CompletedTask;
        }
    }
}
