namespace P2P.ApiKeys.Authentication;

/// <summary>Claim types of the principal of a request authenticated with an API key.</summary>
public static class ApiKeyClaimTypes
{
    /// <summary>The id (a GUID) of the stored key record.</summary>
    public const string KeyId = "api_key_id";

    /// <summary>The public lookup id of the key.</summary>
    public const string LookupId = "api_key_lookup_id";

    /// <summary>The key's name; also the identity's name claim type, so <c>User.Identity.Name</c> is the key name.</summary>
    public const string Name = "api_key_name";

    /// <summary>Who the key was issued by or for, when known.</summary>
    public const string Owner = "api_key_owner";

    /// <summary>One claim per scope granted to the key.</summary>
    public const string Scope = "scope";

    /// <summary>
    /// Prefix of the claims that carry the key's metadata: one claim per entry, of type prefix + name (for example
    /// <c>api_key_metadata:plan</c>), with the entry's value.
    /// </summary>
    public const string MetadataPrefix = "api_key_metadata:";
}
