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
}
