using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using P2P.ApiKeys.Authentication;
using P2P.ApiKeys.Caching;
using P2P.ApiKeys.KeyFormat;

namespace P2P.ApiKeys.Benchmarks;

/// <summary>
/// Verification without the HTTP pipeline ("Verify": the real ApiKeyFormat, ApiKeyVerificationCache and
/// ApiKeySecretHasher in the order the handler calls them, against JsonWebTokenHandler) and through the real
/// ApiKeyAuthenticationHandler ("Handler": request scope + HttpContext + IAuthenticationService, as Kestrel
/// would drive it, against the JwtBearer handler in the same container).
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class VerificationBenchmarks
{
    private const string Header = "X-API-Key";

    private BenchmarkServices _cached = null!;
    private BenchmarkServices _uncached = null!;
    private ApiKeyFormat _format = null!;
    private ApiKeySecretHasher _hasher = null!;
    private ApiKeyVerificationCache<VerifiedApiKey> _cache = null!;
    private readonly JsonWebTokenHandler _jwtHandler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters _jwtValidation = BenchmarkServices.AdminTokenValidation();
    private string _key = "";
    private string _uncachedKey = "";
    private string _malformed = "";
    private string _badChecksum = "";
    private string _jwt = "";
    private string _bearer = "";

    [GlobalSetup]
    public void Setup()
    {
        // A long TTL so that the "cached" figures never include the one refresh per TTL a host sees.
        _cached = BenchmarkServices.Create(o => o.CacheTtl = TimeSpan.FromHours(1));
        _uncached = BenchmarkServices.Create(o => o.CacheTtl = TimeSpan.Zero);
        _format = _cached.Format;
        _hasher = _cached.Hasher;
        _cache = _cached.Provider.GetRequiredService<ApiKeyVerificationCache<VerifiedApiKey>>();
        _key = _cached.CreateKeyAsync().GetAwaiter().GetResult();
        _uncachedKey = _uncached.CreateKeyAsync().GetAwaiter().GetResult();
        _malformed = _key[..^1];
        _badChecksum = _key[..^1] + (_key[^1] == 'A' ? 'B' : 'A');
        _jwt = BenchmarkServices.IssueAdminToken();
        _bearer = "Bearer " + _jwt;

        // Warm the cache through the handler, as the first request of a client would.
        if (!_cached.AuthenticateAsync(ApiKeyDefaults.AuthenticationScheme, Header, _key).GetAwaiter().GetResult()
            || !_uncached.AuthenticateAsync(ApiKeyDefaults.AuthenticationScheme, Header, _uncachedKey).GetAwaiter().GetResult()
            || !_cached.AuthenticateAsync(BenchmarkServices.JwtScheme, "Authorization", _bearer).GetAwaiter().GetResult()
            || _cache.Count != 1)
        {
            throw new InvalidOperationException("Benchmark set-up failed: a valid credential was refused.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cached.Dispose();
        _uncached.Dispose();
    }

    // --- Verify: no HTTP pipeline ------------------------------------------------------------------

    /// <summary>Parse + checksum, cache lookup by span, hash + fixed-time compare, validity: the handler's hit path.</summary>
    [Benchmark(Baseline = true, Description = "API key cached: parse+lookup+hash+compare")]
    [BenchmarkCategory("Verify")]
    public int VerifyCached() => (int)VerifyWithoutStore(_key);

    [Benchmark(Description = "API key rejected: malformed")]
    [BenchmarkCategory("Verify")]
    public int VerifyMalformed() => (int)VerifyWithoutStore(_malformed);

    [Benchmark(Description = "API key rejected: bad checksum")]
    [BenchmarkCategory("Verify")]
    public int VerifyBadChecksum() => (int)VerifyWithoutStore(_badChecksum);

    [Benchmark(Description = "JWT HS256 validate (JsonWebTokenHandler)")]
    [BenchmarkCategory("Verify")]
    public async Task<bool> VerifyJwt() => (await _jwtHandler.ValidateTokenAsync(_jwt, _jwtValidation).ConfigureAwait(false)).IsValid;

    // --- Handler: request scope + HttpContext + IAuthenticationService ----------------------------

    /// <summary>The fixed cost every request pays before any credential is looked at.</summary>
    [Benchmark(Baseline = true, Description = "ApiKey handler: no key (NoResult)")]
    [BenchmarkCategory("Handler")]
    public Task<bool> HandlerNoKey() => _cached.AuthenticateAsync(ApiKeyDefaults.AuthenticationScheme, Header, null);

    [Benchmark(Description = "ApiKey handler: cached key")]
    [BenchmarkCategory("Handler")]
    public Task<bool> HandlerCached() => _cached.AuthenticateAsync(ApiKeyDefaults.AuthenticationScheme, Header, _key);

    [Benchmark(Description = "ApiKey handler: malformed key")]
    [BenchmarkCategory("Handler")]
    public Task<bool> HandlerMalformed() => _cached.AuthenticateAsync(ApiKeyDefaults.AuthenticationScheme, Header, _malformed);

    [Benchmark(Description = "ApiKey handler: bad checksum")]
    [BenchmarkCategory("Handler")]
    public Task<bool> HandlerBadChecksum() => _cached.AuthenticateAsync(ApiKeyDefaults.AuthenticationScheme, Header, _badChecksum);

    [Benchmark(Description = "ApiKey handler: cache off, in-memory store")]
    [BenchmarkCategory("Handler")]
    public Task<bool> HandlerCacheMiss() => _uncached.AuthenticateAsync(ApiKeyDefaults.AuthenticationScheme, Header, _uncachedKey);

    [Benchmark(Description = "JwtBearer handler: HS256 admin token")]
    [BenchmarkCategory("Handler")]
    public Task<bool> HandlerJwt() => _cached.AuthenticateAsync(BenchmarkServices.JwtScheme, "Authorization", _bearer);

    /// <summary>What ApiKeyVerifier does before the store, on the same types, in the same order.</summary>
    private ApiKeyOutcome VerifyWithoutStore(string presented)
    {
        var now = TimeProvider.System.GetUtcNow();
        if (_format.TryParse(presented, out var parsed) != ApiKeyParseStatus.Valid)
        {
            return ApiKeyOutcome.Malformed;
        }

        if (!_cache.TryGet(parsed.LookupId, now, out var entry))
        {
            return ApiKeyOutcome.Unknown;
        }

        return !_hasher.Verify(parsed.Secret, entry!.SecretHash) ? ApiKeyOutcome.InvalidSecret : entry.StateAt(now);
    }
}
