using DotNetEnv;

namespace P2P.Dashboard.Configuration;

/// <summary>
/// Reads <c>API_KEY</c> and <c>API_BASE_URL</c> the way the admin workflow tells people to set them:
/// a <c>.env</c> file in the current directory, else one at the repository root (the folder that
/// holds <c>P2P.ApiKeys.sln</c>), with real environment variables winning over either.
/// </summary>
/// <remarks>
/// The file is parsed without touching the process environment, so nothing else in the process (or a
/// child process) inherits the key, and two hosts in one test process cannot see each other's file.
/// </remarks>
public static class DashboardSettingsLoader
{
    public const string ApiKeyVariable = "API_KEY";
    public const string ApiBaseUrlVariable = "API_BASE_URL";
    public const string EnvFileName = ".env";
    public const string SolutionFileName = "P2P.ApiKeys.sln";
    public static readonly Uri DefaultApiBaseUrl = new("http://127.0.0.1:8000/");

    public static DashboardSettings Load(string currentDirectory, Func<string, string?> getEnvironmentVariable)
    {
        var envFile = FindEnvFile(currentDirectory);
        var fromFile = envFile is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : ReadEnvFile(envFile);

        string? Value(string name)
        {
            var fromEnvironment = getEnvironmentVariable(name);
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
            {
                return fromEnvironment;
            }

            return fromFile.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
        }

        var baseUrl = ParseBaseUrl(Value(ApiBaseUrlVariable), out var baseUrlError);
        return new DashboardSettings(Value(ApiKeyVariable), baseUrl, envFile, baseUrlError);
    }

    /// <summary>The first <c>.env</c> found: current directory, then the repository root above it.</summary>
    public static string? FindEnvFile(string currentDirectory)
    {
        var inCurrent = Path.Combine(currentDirectory, EnvFileName);
        if (File.Exists(inCurrent))
        {
            return Path.GetFullPath(inCurrent);
        }

        for (var dir = new DirectoryInfo(currentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFileName)))
            {
                var atRoot = Path.Combine(dir.FullName, EnvFileName);
                return File.Exists(atRoot) ? atRoot : null;
            }
        }

        return null;
    }

    private static Dictionary<string, string> ReadEnvFile(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in Env.NoEnvVars().Load(path))
        {
            values[pair.Key] = pair.Value; // later lines win, as in a shell
        }

        return values;
    }

    /// <remarks>A bad URL is reported on the setup page rather than crashing start-up with a stack trace.</remarks>
    private static Uri ParseBaseUrl(string? value, out string? error)
    {
        error = null;
        if (value is null)
        {
            return DefaultApiBaseUrl;
        }

        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            error = $"{ApiBaseUrlVariable} must be an absolute http(s) URL such as {DefaultApiBaseUrl}, not '{value}'.";
            return DefaultApiBaseUrl;
        }

        // The key goes to this URL in every request: in clear text only to this machine (docs/security.md rule 26).
        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            error = $"{ApiBaseUrlVariable} must use https for an API on another machine, so that the key never crosses the network "
                + $"in clear text; plain http is accepted only for localhost, 127.0.0.1 or ::1, not '{value}'.";
            return DefaultApiBaseUrl;
        }

        // A trailing slash makes relative request URIs append to the path instead of replacing its last segment.
        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }
}
