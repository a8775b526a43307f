using P2P.ApiKeys.KeyFormat;
using P2P.ApiKeys.Tests.TestSupport;

namespace P2P.ApiKeys.Tests.KeyFormat;

public sealed class ApiKeyFormatPropertyTests
{
    private readonly ApiKeyFormat _format = new("p2p");

    [Fact]
    public void TryParse_AnySingleCharacterChange_IsRejected()
    {
        var random = new Random(42);
        for (var n = 0; n < 200; n++)
        {
            var key = _format.Generate().Key;
            for (var i = 0; i < key.Length; i++)
            {
                var chars = key.ToCharArray();
                // Any other base62 character, or the separator, or something outside the alphabet.
                var candidates = Base62.Alphabet + "_-+/= .é";
                char replacement;
                do
                {
                    replacement = candidates[random.Next(candidates.Length)];
                }
                while (replacement == chars[i]);

                chars[i] = replacement;
                Assert.NotEqual(ApiKeyParseStatus.Valid, _format.TryParse(new string(chars), out _));
            }
        }
    }

    [Fact]
    public void TryParse_EveryCharacterAtEveryPosition_OnlyOriginalIsValid()
    {
        var key = _format.Generate().Key;
        var chars = key.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var original = chars[i];
            foreach (var c in Base62.Alphabet + "_")
            {
                chars[i] = c;
                var status = _format.TryParse(chars, out _);
                Assert.Equal(c == original, status == ApiKeyParseStatus.Valid);
            }

            chars[i] = original;
        }
    }

    [Fact]
    public void TryParse_AnyTruncationOrExtension_IsRejected()
    {
        var key = _format.Generate().Key;
        for (var length = 0; length < key.Length; length++)
        {
            Assert.NotEqual(ApiKeyParseStatus.Valid, _format.TryParse(key.AsSpan(0, length), out _));
            Assert.NotEqual(ApiKeyParseStatus.Valid, _format.TryParse(key.AsSpan(key.Length - length), out _));
        }

        Assert.NotEqual(ApiKeyParseStatus.Valid, _format.TryParse(key + "A", out _));
        Assert.NotEqual(ApiKeyParseStatus.Valid, _format.TryParse(" " + key, out _));
    }

    [Fact]
    public void TryParse_OneLetterCaseFlipped_IsRejected()
    {
        for (var n = 0; n < 100; n++)
        {
            var key = _format.Generate().Key;
            for (var i = 4; i < key.Length; i++)
            {
                if (!char.IsAsciiLetter(key[i]))
                {
                    continue;
                }

                var flipped = key.ToCharArray();
                flipped[i] = char.IsAsciiLetterUpper(flipped[i]) ? char.ToLowerInvariant(flipped[i]) : char.ToUpperInvariant(flipped[i]);
                Assert.NotEqual(ApiKeyParseStatus.Valid, _format.TryParse(flipped, out _));
            }
        }
    }

    [Fact]
    public void TryParse_CaseFlippedWithRecomputedChecksum_HasDifferentSecret()
    {
        // Even a well-formed case variant is another key: the parser never folds case.
        var key = _format.Generate().Key;
        var i = key.AsSpan(17, 32).IndexOfAnyInRange('a', 'z') + 17;
        if (i < 17)
        {
            return; // all-digit/upper secret: vanishingly rare
        }

        var variant = TestKeys.WithChecksum(string.Concat(key.AsSpan(0, i), char.ToUpperInvariant(key[i]).ToString(), key.AsSpan(i + 1, key.Length - i - 1 - 6)));
        _format.TryParse(key, out var original);
        var originalSecret = original.Secret.ToString();
        Assert.Equal(ApiKeyParseStatus.Valid, _format.TryParse(variant, out var parsed));
        Assert.NotEqual(originalSecret, parsed.Secret.ToString());
    }

    [Fact]
    public void Generate_100000Keys_DistinctLookupIdsAndSecrets()
    {
        var lookupIds = new HashSet<string>(StringComparer.Ordinal);
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 100_000; i++)
        {
            var key = _format.Generate().Key;
            _format.TryParse(key, out var parsed);
            Assert.True(lookupIds.Add(parsed.LookupId.ToString()));
            Assert.True(secrets.Add(parsed.Secret.ToString()));
        }
    }

    [Fact]
    public void SecretLength_Base62_CarriesAtLeast160Bits()
    {
        var secretBits = ApiKeyFormat.SecretLength * Math.Log2(62);
        var lookupBits = ApiKeyFormat.LookupIdLength * Math.Log2(62);

        Assert.True(secretBits >= 160, $"secret carries {secretBits:F1} bits");
        Assert.True(secretBits > 190);
        Assert.True(lookupBits > 70);
        Assert.True(Math.Pow(62, ApiKeyFormat.ChecksumLength) > uint.MaxValue);
        Assert.Equal("p2p".Length + 1 + 12 + 1 + 32 + 6, _format.KeyLength);
    }

    [Fact]
    public void Generate_Characters_UseWholeAlphabet()
    {
        // A uniform generator hits every base62 character over a few thousand characters.
        var seen = new HashSet<char>();
        for (var i = 0; i < 200; i++)
        {
            _format.TryParse(_format.Generate().Key, out var parsed);
            foreach (var c in parsed.Secret)
            {
                seen.Add(c);
            }
        }

        Assert.Equal(62, seen.Count);
    }

    [Fact]
    public void Generate_Key_MatchesDocumentedScannerRegex()
    {
        var regex = new System.Text.RegularExpressions.Regex(@"\bp2p_[0-9A-Za-z]{12}_[0-9A-Za-z]{38}\b");
        for (var i = 0; i < 1000; i++)
        {
            var key = _format.Generate().Key;
            Assert.Matches(regex, key);
            Assert.Matches(regex, $"API_KEY=\"{key}\"");
        }
    }

    [Fact]
    public void TryParse_RejectedKey_AllocatesNothing()
    {
        var key = _format.Generate().Key;
        var bad = TestKeys.WithBadChecksum(key);
        _format.TryParse(bad, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            _format.TryParse(bad, out _);
            _format.TryParse("p2p_short", out _);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
