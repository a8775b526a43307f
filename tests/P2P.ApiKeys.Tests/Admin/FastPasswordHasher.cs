using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Tests.Admin;

/// <summary>
/// Identity's own <see cref="PasswordHasher{TUser}"/> in the library's format (Identity V3, HMAC-SHA512) with one
/// PBKDF2 iteration instead of 220,000: for test hosts whose tests are not about password hashing. The tests
/// that check the stored hash and its upgrade ask <see cref="AdminTestHost"/> for the library's real hasher.
/// </summary>
internal static class FastPasswordHasher
{
    public static readonly IPasswordHasher<AdminUser> Instance = new PasswordHasher<AdminUser>(Options.Create(new PasswordHasherOptions
    {
        CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
        IterationCount = 1,
    }));
}
