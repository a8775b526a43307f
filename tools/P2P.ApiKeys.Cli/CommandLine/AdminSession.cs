using System.CommandLine;
using P2P.ApiKeys.Cli.Files;
using P2P.ApiKeys.Cli.Http;

namespace P2P.ApiKeys.Cli.CommandLine;

/// <summary>
/// Which API the admin commands talk to and as whom: with <c>P2P_ADMIN_KEY</c> set, that admin API key and the URL
/// from <c>--url</c>, <c>P2P_ADMIN_URL</c> or the last login; otherwise the token saved by <c>login</c>, while it
/// has not expired.
/// </summary>
internal static class AdminSession
{
    public static AdminApiClient Open(ParseResult parseResult, CliCommandContext cli)
    {
        var context = cli.Context;
        var url = ExplicitUrl(parseResult, cli);
        var stored = CredentialStore.Load(context.CredentialsPath);
        if (context.GetEnvironmentVariable(CliContext.AdminKeyVariable) is { Length: > 0 } adminKey)
        {
            var baseUrl = url ?? (stored is null ? null : AdminApiClient.ParseBaseUrl(stored.Url))
                ?? throw new CliException(ExitCodes.Usage, $"{CliContext.AdminKeyVariable} is set: name the API with --url or {CliContext.UrlVariable}.");
            return new AdminApiClient(baseUrl, new AdminCredential(AdminCredentialKind.ApiKey, adminKey));
        }

        if (stored is null)
        {
            throw new CliException(ExitCodes.Unauthorized,
                $"Not logged in: run p2p-keys login --url URL --username NAME, or set {CliContext.AdminKeyVariable} to an admin API key.");
        }

        var storedUrl = AdminApiClient.ParseBaseUrl(stored.Url);
        if (url is not null && url != storedUrl)
        {
            throw new CliException(ExitCodes.Unauthorized, $"Logged in to {storedUrl}, not {url}: run p2p-keys login --url {url} first.");
        }

        if (stored.ExpiresAt <= context.TimeProvider.GetUtcNow())
        {
            throw new CliException(ExitCodes.Unauthorized, $"The admin token for {storedUrl} expired at {stored.ExpiresAt:u}: run p2p-keys login again.");
        }

        return new AdminApiClient(storedUrl, new AdminCredential(AdminCredentialKind.Token, stored.AccessToken));
    }

    /// <summary><c>--url</c>, else <c>P2P_ADMIN_URL</c>, else <see langword="null"/>.</summary>
    public static Uri? ExplicitUrl(ParseResult parseResult, CliCommandContext cli) =>
        (parseResult.GetValue(cli.Options.Url) ?? cli.Context.GetEnvironmentVariable(CliContext.UrlVariable)) is { Length: > 0 } value
            ? AdminApiClient.ParseBaseUrl(value)
            : null;
}
