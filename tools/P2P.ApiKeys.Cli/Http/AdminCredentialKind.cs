namespace P2P.ApiKeys.Cli.Http;

/// <summary>What an <see cref="AdminCredential"/> holds.</summary>
internal enum AdminCredentialKind
{
    /// <summary>An admin JWT, sent as <c>Authorization: Bearer</c>.</summary>
    Token,

    /// <summary>An admin API key, sent as <c>X-API-Key</c>.</summary>
    ApiKey,
}
