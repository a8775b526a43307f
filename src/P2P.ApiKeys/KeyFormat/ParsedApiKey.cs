namespace P2P.ApiKeys.KeyFormat;

/// <summary>Positions of the parts of a well-formed key inside the presented string; allocation free.</summary>
internal readonly ref struct ParsedApiKey
{
    public ParsedApiKey(ReadOnlySpan<char> lookupId, ReadOnlySpan<char> secret)
    {
        LookupId = lookupId;
        Secret = secret;
    }

    /// <summary>The public, indexed part that finds the stored record.</summary>
    public ReadOnlySpan<char> LookupId { get; }

    /// <summary>The secret part; only its hash is ever stored.</summary>
    public ReadOnlySpan<char> Secret { get; }
}
