using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Tests.TestSupport;

namespace P2P.ApiKeys.Tests.Authentication;

public sealed class ApiKeyAuthenticationOptionsValidationTests
{
    [Theory]
    [InlineData("")]
    [InlineData("X API Key")]
    [InlineData("X-API-Key:")]
    [InlineData("Authorization")]
    public async Task StartAsync_InvalidHeaderName_FailsWithMessage(string headerName)
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(
            () => ApiKeyTestHost.StartAsync(configureScheme: o => o.HeaderName = headerName));

        Assert.Contains("HeaderName", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("api key")]
    [InlineData("a=b")]
    public async Task StartAsync_InvalidQueryParameterName_FailsWithMessage(string name)
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(
            () => ApiKeyTestHost.StartAsync(configureScheme: o => o.QueryParameterName = name));

        Assert.Contains("QueryParameterName", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_InvalidApiKeyOptions_FailsWithMessage()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(
            () => ApiKeyTestHost.StartAsync(o => o.CacheTtl = TimeSpan.FromSeconds(-1)));

        Assert.Contains("CacheTtl", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddApiKeyAuth_CalledTwice_RegistersSchemeOnce()
    {
        await using var host = await ApiKeyTestHost.StartAsync(configureServices: services =>
            services.AddApiKeyAuth().ConfigureAuthenticationScheme(o => o.HeaderName = "X-Second"));
        var (key, _) = await host.CreateKeyAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.GetAsync("/read", key, "X-Second")).StatusCode);
    }
}
