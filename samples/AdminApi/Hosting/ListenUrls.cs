namespace AdminApi.Hosting;

/// <summary>The seed's address, used only when nothing else says where to listen.</summary>
internal static class ListenUrls
{
    public const string Default = "http://127.0.0.1:8000";

    /// <summary>
    /// True when neither <c>--urls</c>/<c>ASPNETCORE_URLS</c>, nor <c>HTTP_PORTS</c>/<c>HTTPS_PORTS</c>, nor a
    /// <c>Kestrel:Endpoints</c> section chooses an address, so tests and deployments can always override the default.
    /// </summary>
    public static bool AreConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["urls"])
        || !string.IsNullOrWhiteSpace(configuration["http_ports"])
        || !string.IsNullOrWhiteSpace(configuration["https_ports"])
        || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();
}
