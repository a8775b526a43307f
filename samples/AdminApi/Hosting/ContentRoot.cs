using System.Reflection;

namespace AdminApi.Hosting;

/// <summary>
/// The sample's content root is its own folder (where its <c>appsettings.json</c> and log filters are), wherever
/// it is started from: without this, starting it from another working folder silently dropped those settings,
/// log filters included.
/// </summary>
internal static class ContentRoot
{
    /// <summary>
    /// The folder of the sample's assembly when it runs as its own process and nothing chose a content root
    /// (<c>--contentRoot</c>, <c>ASPNETCORE_CONTENTROOT</c>); otherwise <see langword="null"/>, the host's default
    /// (a test host, for example, sets its own).
    /// </summary>
    public static string? Resolve(string[] args)
    {
        var chosen = new ConfigurationBuilder().AddEnvironmentVariables("ASPNETCORE_").AddCommandLine(args).Build()[WebHostDefaults.ContentRootKey];
        if (!string.IsNullOrWhiteSpace(chosen) || Assembly.GetEntryAssembly() != typeof(ContentRoot).Assembly)
        {
            return null;
        }

        return AppContext.BaseDirectory;
    }
}
