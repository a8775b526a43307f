using P2P.ApiKeys.KeyFormat;

namespace P2P.ApiKeys.Tests.TestSupport;

internal static class TestKeys
{
    /// <summary>Appends a correct checksum to <paramref name="body"/>, to build well-formed keys that are wrong in other ways.</summary>
    public static string WithChecksum(string body)
    {
        Span<char> checksum = stackalloc char[ApiKeyFormat.ChecksumLength];
        Base62.EncodeFixed(ApiKeyFormat.ComputeChecksum(body), checksum);
        return body + checksum.ToString();
    }

    /// <summary>The same key with its last character changed, so the checksum no longer matches.</summary>
    public static string WithBadChecksum(string key) => key[..^1] + (key[^1] == 'A' ? 'B' : 'A');
}
