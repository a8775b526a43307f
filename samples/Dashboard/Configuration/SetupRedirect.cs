namespace P2P.Dashboard.Configuration;

/// <summary>Which requests go to <c>/setup</c> when there is no usable key: pages, not assets or probes.</summary>
public static class SetupRedirect
{
    private static readonly string[] Exempt = ["/setup", "/healthz", "/Error", "/not-found", "/_framework", "/_content"];

    public static bool Applies(PathString path) =>
        !Exempt.Any(e => path.StartsWithSegments(e, StringComparison.OrdinalIgnoreCase))
        && !Path.HasExtension(path.Value);
}
