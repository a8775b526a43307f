namespace P2P.ApiKeys.KeyFormat;

/// <summary>A freshly minted key. <see cref="Key"/> is shown to the admin once and never stored.</summary>
internal sealed record GeneratedApiKey(string Key, string LookupId)
{
    // Keep the key out of debugger displays, logs of records and accidental string interpolation.
    public override string ToString() => $"GeneratedApiKey {{ LookupId = {LookupId} }}";
}
