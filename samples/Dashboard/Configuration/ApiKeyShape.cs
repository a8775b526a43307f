namespace P2P.Dashboard.Configuration;

/// <summary>
/// The few facts about the key layout <c>p2p_{lookupId}_{secret}{checksum}</c> that a client needs:
/// enough to spot an obvious paste error and to show the public lookup id, no more. The API is the
/// one that validates the checksum and the secret.
/// </summary>
public static class ApiKeyShape
{
    public const string Prefix = "p2p_";

    /// <summary>Length of the public lookup id that follows the prefix.</summary>
    public const int LookupIdLength = 12;

    public static ApiKeyStatus Classify(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return ApiKeyStatus.Missing;
        }

        if (!key.StartsWith(Prefix, StringComparison.Ordinal)
            || key.Length < Prefix.Length + LookupIdLength + 2
            || key[Prefix.Length + LookupIdLength] != '_'
            || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '_')))
        {
            return ApiKeyStatus.Malformed;
        }

        return ApiKeyStatus.Present;
    }

    /// <summary><c>p2p_XXXXXXXXXXXX</c>: prefix and lookup id, which the admin endpoints list too.</summary>
    public static string PublicPart(string key) => key[..(Prefix.Length + LookupIdLength)];
}
