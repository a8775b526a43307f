using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using P2P.ApiKeys.KeyFormat;

namespace P2P.ApiKeys.Benchmarks;

/// <summary>Key generation and the allocation-free parse + checksum, with its rejection paths.</summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class KeyFormatBenchmarks
{
    private readonly ApiKeyFormat _format = new("p2p");
    private string _valid = "";
    private string _wrongLength = "";
    private string _invalidCharacter = "";
    private string _badChecksum = "";

    [GlobalSetup]
    public void Setup()
    {
        _valid = _format.Generate().Key;
        _wrongLength = _valid[..^1];
        _invalidCharacter = _valid[..20] + "-" + _valid[21..];
        _badChecksum = _valid[..^1] + (_valid[^1] == 'A' ? 'B' : 'A');
    }

    /// <summary>The cheapest random identifier .NET offers, for scale.</summary>
    [Benchmark(Baseline = true, Description = "Guid.NewGuid().ToString(\"N\")")]
    [BenchmarkCategory("Generate")]
    public string NewGuid() => Guid.NewGuid().ToString("N");

    [Benchmark(Description = "ApiKeyFormat.Generate")]
    [BenchmarkCategory("Generate")]
    public string Generate() => _format.Generate().Key;

    [Benchmark(Baseline = true, Description = "TryParse valid")]
    [BenchmarkCategory("Parse")]
    public int ParseValid() => (int)_format.TryParse(_valid, out _);

    [Benchmark(Description = "TryParse malformed (wrong length)")]
    [BenchmarkCategory("Parse")]
    public int ParseWrongLength() => (int)_format.TryParse(_wrongLength, out _);

    [Benchmark(Description = "TryParse malformed (invalid char)")]
    [BenchmarkCategory("Parse")]
    public int ParseInvalidCharacter() => (int)_format.TryParse(_invalidCharacter, out _);

    [Benchmark(Description = "TryParse bad checksum")]
    [BenchmarkCategory("Parse")]
    public int ParseBadChecksum() => (int)_format.TryParse(_badChecksum, out _);
}
