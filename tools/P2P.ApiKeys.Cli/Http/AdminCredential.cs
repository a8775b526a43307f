namespace P2P.ApiKeys.Cli.Http;

/// <summary>How the CLI proves it is an admin: the token from <c>login</c>, or an admin API key from <c>P2P_ADMIN_KEY</c>.</summary>
internal sealed record AdminCredential(AdminCredentialKind Kind, string Value)
{
    /// <summary>Never the secret: a record's generated <c>ToString</c> would print it.</summary>
    public override string ToString() => $"AdminCredential {{ Kind = {Kind} }}";
}
