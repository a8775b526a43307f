using AdminApi.Hosting;
using Microsoft.Extensions.Configuration;

namespace P2P.AdminApi.Tests.Hosting;

public sealed class ListenUrlsTests
{
    private static bool AreConfigured(params (string Key, string Value)[] settings) => ListenUrls.AreConfigured(
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void AreConfigured_Nothing_IsFalseSoTheSeedAddressIsUsed()
    {
        Assert.False(AreConfigured());
        Assert.Equal("http://127.0.0.1:8000", ListenUrls.Default);
    }

    [Theory]
    [InlineData("urls", "http://127.0.0.1:0")]
    [InlineData("http_ports", "8080")]
    [InlineData("https_ports", "8443")]
    [InlineData("Kestrel:Endpoints:Http:Url", "http://0.0.0.0:5000")]
    public void AreConfigured_AnyAddressSetting_IsTrue(string key, string value)
    {
        Assert.True(AreConfigured((key, value)));
    }
}
