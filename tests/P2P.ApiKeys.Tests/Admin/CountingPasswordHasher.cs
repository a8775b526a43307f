using Microsoft.AspNetCore.Identity;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Tests.Admin;

/// <summary>Wraps the real hasher and counts calls, so that tests can show the hasher ran without timing anything.</summary>
internal sealed class CountingPasswordHasher(IPasswordHasher<AdminUser> inner) : IPasswordHasher<AdminUser>
{
    private int _verifications;
    private int _hashes;

    public int Verifications => Volatile.Read(ref _verifications);

    public int Hashes => Volatile.Read(ref _hashes);

    public string HashPassword(AdminUser user, string password)
    {
        Interlocked.Increment(ref _hashes);
        return inner.HashPassword(user, password);
    }

    public PasswordVerificationResult VerifyHashedPassword(AdminUser user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref _verifications);
        return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}
