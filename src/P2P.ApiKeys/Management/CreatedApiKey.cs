using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Management;

/// <summary>A newly created or rotated key: the only object that ever holds the full key.</summary>
public sealed class CreatedApiKey
{
    /// <summary>Creates the result.</summary>
    public CreatedApiKey(ApiKeyRecord record, string key)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrEmpty(key);
        Record = record;
        Key = key;
    }

    /// <summary>The stored record (its hash, never the key).</summary>
    public ApiKeyRecord Record { get; }

    /// <summary>The full key, to hand to its user now: it is never shown again and cannot be recovered.</summary>
    public string Key { get; }

    /// <summary>Names the key's record, never the key itself, so that logging this object leaks nothing.</summary>
    public override string ToString() => $"CreatedApiKey {{ Id = {Record.Id}, LookupId = {Record.LookupId} }}";
}
