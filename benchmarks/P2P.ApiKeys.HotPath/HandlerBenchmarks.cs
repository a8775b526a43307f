using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.Authentication;
using P2P.ApiKeys.Management;

namespace P2P.ApiKeys.HotPath;

/// <summary>
/// The API-key scheme through <see cref="IAuthenticationService"/>, as Kestrel and the authentication middleware drive
/// it (a request scope, a <see cref="DefaultHttpContext"/> with the header, one authentication), on the public API only:
/// <c>AddApiKeyAuth().AddInMemoryStores()</c> with library defaults and a key minted by <see cref="IApiKeyManager"/>.
/// Run by run-hotpath.sh against two commits in one run: the "before" job is the baseline of every ratio.
/// </summary>
[MemoryDiagnoser]
public class HandlerBenchmarks
{
    private const string Header = "X-API-Key";

    private ServiceProvider _provider = null!;
    private string _key = "";
    private string _revoked = "";
    private string _malformed = "";
    private string _badChecksum = "";
    private string _wrongSecret = "";
    private string _unknown = "";

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddLogging(); // no providers: logging off, as in a load test
        services.AddApiKeyAuth(o => o.CacheTtl = TimeSpan.FromHours(1)).AddInMemoryStores();
        _provider = services.BuildServiceProvider();
        var keys = _provider.GetRequiredService<IApiKeyManager>();
        _key = Mint(keys, "hot").Key;
        var revoked = Mint(keys, "revoked");
        _ = keys.RevokeAsync(revoked.Record.Id).GetAwaiter().GetResult();
        _revoked = revoked.Key;
        var other = Mint(keys, "other").Key;
        _malformed = _key[..^1];
        _badChecksum = _key[..^1] + (_key[^1] == 'A' ? 'B' : 'A');

        // Well formed (checksum right) but wrong: the hot key's lookup id with another key's secret, and an id no key has.
        _wrongSecret = WithChecksum(_key[..17] + other[17..^6]);
        _unknown = WithChecksum("p2p_ZZZZZZZZZZZZ" + _key[16..^6]);

        if (!Authenticate(_key).GetAwaiter().GetResult() || Authenticate(_revoked).GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("Benchmark set-up failed: the hot key was refused or the revoked one accepted.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _provider.Dispose();

    [Benchmark(Description = "no key (NoResult)")]
    public Task<bool> NoKey() => Authenticate(null);

    [Benchmark(Description = "cached key (verified)")]
    public Task<bool> CachedKey() => Authenticate(_key);

    [Benchmark(Description = "rejected: malformed")]
    public Task<bool> Malformed() => Authenticate(_malformed);

    [Benchmark(Description = "rejected: bad checksum")]
    public Task<bool> BadChecksum() => Authenticate(_badChecksum);

    [Benchmark(Description = "rejected: cached id, wrong secret")]
    public Task<bool> WrongSecret() => Authenticate(_wrongSecret);

    [Benchmark(Description = "rejected: revoked (cached)")]
    public Task<bool> Revoked() => Authenticate(_revoked);

    [Benchmark(Description = "rejected: unknown id (store lookup)")]
    public Task<bool> Unknown() => Authenticate(_unknown);

    private static CreatedApiKey Mint(IApiKeyManager keys, string name)
    {
        var created = keys.CreateAsync(new ApiKeyCreateRequest { Name = name, Owner = "bench", Scopes = ["p2p:read"] }).GetAwaiter().GetResult();
        return created.Value ?? throw new InvalidOperationException($"The benchmark key was refused: {created.Error}.");
    }

    /// <summary>
    /// <paramref name="body"/> with its checksum: CRC32 (IEEE) of the ASCII body as 6 base62 digits, the documented key
    /// format (docs/key-format.md) that secret scanners compute too.
    /// </summary>
    private static string WithChecksum(string body)
    {
        const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        var value = (ulong)System.IO.Hashing.Crc32.HashToUInt32(System.Text.Encoding.ASCII.GetBytes(body));
        var checksum = new char[6];
        for (var i = checksum.Length - 1; i >= 0; i--)
        {
            checksum[i] = Alphabet[(int)(value % 62)];
            value /= 62;
        }

        return body + new string(checksum);
    }

    private async Task<bool> Authenticate(string? key)
    {
        var scope = _provider.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
            if (key is not null)
            {
                context.Request.Headers[Header] = key;
            }

            var authentication = scope.ServiceProvider.GetRequiredService<IAuthenticationService>();
            var result = await authentication.AuthenticateAsync(context, ApiKeyDefaults.AuthenticationScheme).ConfigureAwait(false);
            return result.Succeeded;
        }
    }
}
