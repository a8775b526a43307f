using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using P2P.ApiKeys.KeyFormat;

namespace P2P.ApiKeys.Benchmarks;

/// <summary>Hashing of the 32-character secret: plain SHA-256 and HMAC-SHA256 with a pepper.</summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class HashingBenchmarks
{
    private readonly ApiKeySecretHasher _sha256 = new(null);
    private readonly ApiKeySecretHasher _hmac = new("bench-only-pepper-0123456789abcdef"u8.ToArray());
    private readonly byte[] _destination = new byte[ApiKeySecretHasher.HashSize];
    private string _secret = "";
    private byte[] _sha256Hash = [];
    private byte[] _hmacHash = [];

    [GlobalSetup]
    public void Setup()
    {
        var format = new ApiKeyFormat("p2p");
        var key = format.Generate().Key;
        format.TryParse(key, out var parsed);
        _secret = parsed.Secret.ToString();
        _sha256Hash = _sha256.Hash(_secret);
        _hmacHash = _hmac.Hash(_secret);
    }

    [Benchmark(Baseline = true, Description = "Hash SHA-256")]
    [BenchmarkCategory("Hash")]
    public void HashSha256() => _sha256.Hash(_secret, _destination);

    [Benchmark(Description = "Hash HMAC-SHA256 (pepper)")]
    [BenchmarkCategory("Hash")]
    public void HashHmac() => _hmac.Hash(_secret, _destination);

    [Benchmark(Description = "Verify SHA-256 (hash + fixed-time compare)")]
    [BenchmarkCategory("Hash")]
    public bool VerifySha256() => _sha256.Verify(_secret, _sha256Hash);

    [Benchmark(Description = "Verify HMAC-SHA256 (hash + fixed-time compare)")]
    [BenchmarkCategory("Hash")]
    public bool VerifyHmac() => _hmac.Verify(_secret, _hmacHash);
}
