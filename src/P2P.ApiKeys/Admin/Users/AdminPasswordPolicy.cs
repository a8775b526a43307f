using System.Collections.Frozen;

namespace P2P.ApiKeys.Admin.Users;

/// <summary>
/// NIST SP 800-63B password rules: a minimum and a bounded maximum length, no composition rules, no truncation,
/// and a short deny list of the most common passwords.
/// </summary>
internal static class AdminPasswordPolicy
{
    // The most common passwords of at least 8 characters from public breach corpora; compared case-insensitively
    // because "Password1" is no better than "password1".
    private static readonly FrozenSet<string> CommonPasswords = new[]
    {
        "password", "password1", "password12", "password123", "password1!", "passw0rd", "p@ssw0rd", "p@ssword",
        "12345678", "123456789", "1234567890", "12345678910", "123123123", "987654321", "11111111", "00000000",
        "88888888", "12341234", "87654321", "11223344", "1q2w3e4r", "1q2w3e4r5t", "q1w2e3r4", "qwertyui",
        "qwerty12", "qwerty123", "qwerty1234", "qwertyuiop", "1qaz2wsx", "zaq12wsx", "asdfghjk", "asdfasdf",
        "iloveyou", "iloveyou1", "sunshine", "princess", "football", "baseball", "superman", "welcome1",
        "welcome123", "abc12345", "abcd1234", "letmein1", "trustno1", "starwars", "whatever", "changeme",
        "administrator", "admin123", "admin1234", "adminadmin", "administrator1", "letmein123", "monkey123",
        "dragon123", "master123", "computer", "internet", "passpass", "secret123", "test1234", "testtest",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Returns the reason the password is refused, or <see langword="null"/> when it is acceptable.</summary>
    public static string? Check(string? password, string? userName, AdminPasswordOptions o)
    {
        if (string.IsNullOrEmpty(password) || password.Length < o.MinLength)
        {
            return $"The password must be at least {o.MinLength} characters long.";
        }

        if (password.Length > o.MaxLength)
        {
            return $"The password must be at most {o.MaxLength} characters long.";
        }

        if (CommonPasswords.Contains(password))
        {
            return "This password is too common; choose a longer, less guessable one.";
        }

        if (!string.IsNullOrEmpty(userName) && string.Equals(password, userName, StringComparison.OrdinalIgnoreCase))
        {
            return "The password must not be the user name.";
        }

        return null;
    }
}
