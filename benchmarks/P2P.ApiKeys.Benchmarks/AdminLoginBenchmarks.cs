using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace P2P.ApiKeys.Benchmarks;

/// <summary>
/// The admin side: password hashing with Identity's PasswordHasher at 220,000 PBKDF2 iterations (slow on
/// purpose, paid once per login) against issuing and validating the admin JWT (paid per admin request).
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class AdminLoginBenchmarks
{
    private const string Password = "correct horse battery staple 42";

    private readonly PasswordHasher<object> _passwordHasher =
        new(Options.Create(new PasswordHasherOptions { IterationCount = 220_000 }));

    private readonly JsonWebTokenHandler _jwtHandler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters _validation = BenchmarkServices.AdminTokenValidation();
    private readonly object _user = new();
    private SecurityTokenDescriptor _descriptor = null!;
    private string _passwordHash = "";
    private string _jwt = "";

    [GlobalSetup]
    public void Setup()
    {
        _descriptor = BenchmarkServices.AdminTokenDescriptor();
        _passwordHash = _passwordHasher.HashPassword(_user, Password);
        _jwt = _jwtHandler.CreateToken(_descriptor);
    }

    [Benchmark(Baseline = true, Description = "JWT HS256 issue (JsonWebTokenHandler)")]
    [BenchmarkCategory("AdminLogin")]
    public string IssueJwt() => _jwtHandler.CreateToken(_descriptor);

    [Benchmark(Description = "JWT HS256 validate (pinned alg, iss, aud, lifetime)")]
    [BenchmarkCategory("AdminLogin")]
    public async Task<bool> ValidateJwt() => (await _jwtHandler.ValidateTokenAsync(_jwt, _validation).ConfigureAwait(false)).IsValid;

    [Benchmark(Description = "PasswordHasher.HashPassword (220k iterations)")]
    [BenchmarkCategory("AdminLogin")]
    public string HashPassword() => _passwordHasher.HashPassword(_user, Password);

    [Benchmark(Description = "PasswordHasher.VerifyHashedPassword (220k iterations)")]
    [BenchmarkCategory("AdminLogin")]
    public PasswordVerificationResult VerifyPassword() => _passwordHasher.VerifyHashedPassword(_user, _passwordHash, Password);
}
