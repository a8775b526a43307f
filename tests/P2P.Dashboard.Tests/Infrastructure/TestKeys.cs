using System.Security.Cryptography;

namespace P2P.Dashboard.Tests.Infrastructure;

/// <summary>Keys shaped like the library's (<c>p2p_{12}_{32+6}</c>, base62); the stub API is what accepts them.</summary>
internal static class TestKeys
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string New() => $"p2p_{Random(12)}_{Random(38)}";

    public static string PublicPart(string key) => key[..16];

    private static string Random(int length) =>
        string.Create(length, 0, static (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Base62[RandomNumberGenerator.GetInt32(Base62.Length)];
            }
        });
}
