using P2P.ApiKeys.KeyFormat;

namespace P2P.ApiKeys.Tests.KeyFormat;

public sealed class ApiKeyFormatTests
{
    private readonly ApiKeyFormat _format = new("p2p");

    [Fact]
    public void Generate_Always_ProducesKeyThatParses()
    {
        for (var i = 0; i < 10_000; i++)
        {
            var generated = _format.Generate();
            Assert.Equal(ApiKeyParseStatus.Valid, _format.TryParse(generated.Key, out var parsed));
            Assert.Equal(generated.LookupId, parsed.LookupId.ToString());
            Assert.StartsWith("p2p_", generated.Key, StringComparison.Ordinal);
        }
    }
}
