using System.Security.Cryptography;
using System.Text;
using P2P.ApiKeys.KeyFormat;

namespace P2P.ApiKeys.Tests.KeyFormat;

public sealed class ApiKeySecretHasherTests
{
    private const string Secret = "Q8bX2mLp0Z3kT9xQ2mLp0Z3kT9xQ2mLp";

    [Fact]
    public void Hash_NoPepper_EqualsSha256OfSecret()
    {
        var hash = new ApiKeySecretHasher(null).Hash(Secret);

        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(Secret)), hash);
    }

    [Fact]
    public void Hash_WithPepper_EqualsHmacSha256()
    {
        var pepper = Encoding.UTF8.GetBytes("a-server-side-pepper-of-32-chars-or-more");

        var hash = new ApiKeySecretHasher(pepper).Hash(Secret);

        Assert.Equal(HMACSHA256.HashData(pepper, Encoding.UTF8.GetBytes(Secret)), hash);
    }

    [Fact]
    public void Hash_DifferentPeppers_Differ()
    {
        var one = new ApiKeySecretHasher(Encoding.UTF8.GetBytes("pepper-one-pepper-one-pepper-one-1")).Hash(Secret);
        var two = new ApiKeySecretHasher(Encoding.UTF8.GetBytes("pepper-two-pepper-two-pepper-two-2")).Hash(Secret);

        Assert.NotEqual(one, two);
        Assert.NotEqual(new ApiKeySecretHasher(null).Hash(Secret), one);
    }

    [Fact]
    public void Verify_CaseFlippedSecret_Fails()
    {
        var hasher = new ApiKeySecretHasher(null);
        var hash = hasher.Hash(Secret);

        Assert.True(hasher.Verify(Secret, hash));
        Assert.False(hasher.Verify(Secret.ToLowerInvariant(), hash));
        Assert.False(hasher.Verify(Secret.AsSpan(0, Secret.Length - 1), hash));
    }

    [Fact]
    public void Hash_TwoHashersAlternatingOnOneThread_EachKeepsItsOwnPepper()
    {
        // The per-thread HMAC context is keyed: switching hashers on a thread must re-key it.
        var pepperOne = Encoding.UTF8.GetBytes("pepper-one-pepper-one-pepper-one-1");
        var pepperTwo = Encoding.UTF8.GetBytes("pepper-two-pepper-two-pepper-two-2");
        var one = new ApiKeySecretHasher(pepperOne);
        var two = new ApiKeySecretHasher(pepperTwo);
        var plain = new ApiKeySecretHasher(null);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HMACSHA256.HashData(pepperOne, Encoding.UTF8.GetBytes(Secret)), one.Hash(Secret));
            Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(Secret)), plain.Hash(Secret));
            Assert.Equal(HMACSHA256.HashData(pepperTwo, Encoding.UTF8.GetBytes(Secret)), two.Hash(Secret));
        }
    }

    [Fact]
    public void Hash_DestinationTooSmall_ThrowsAndNextHashIsStillCorrect()
    {
        var hasher = new ApiKeySecretHasher(null);

        Assert.Throws<ArgumentOutOfRangeException>(() => hasher.Hash(Secret, new byte[16]));

        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes("another-secret")), hasher.Hash("another-secret"));
    }

    [Fact]
    public async Task Hash_ManyThreadsAtOnce_EveryHashIsCorrect()
    {
        var pepper = Encoding.UTF8.GetBytes("a-server-side-pepper-of-32-chars-or-more");
        var hashers = new[] { new ApiKeySecretHasher(null), new ApiKeySecretHasher(pepper) };

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(n => Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                var secret = $"secret-{n}-{i}";
                var expected = n % 2 == 0
                    ? SHA256.HashData(Encoding.UTF8.GetBytes(secret))
                    : HMACSHA256.HashData(pepper, Encoding.UTF8.GetBytes(secret));
                if (!expected.AsSpan().SequenceEqual(hashers[n % 2].Hash(secret)))
                {
                    return false;
                }
            }

            return true;
        }, TestContext.Current.CancellationToken)));

        Assert.All(results, Assert.True);
    }
}
