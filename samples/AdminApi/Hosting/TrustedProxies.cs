using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace AdminApi.Hosting;

/// <summary>
/// <c>ForwardedHeaders:KnownProxies</c>: the addresses of reverse proxies whose <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> are believed. Behind a proxy, every request otherwise comes from the proxy's address,
/// and the token endpoint's per-IP login limit would be one bucket for all clients. Empty by default, so that a
/// client talking to the sample directly cannot pick its own address with a header and escape the limit.
/// </summary>
internal static class TrustedProxies
{
    public const string ConfigurationKey = "ForwardedHeaders:KnownProxies";

    /// <summary>Registers forwarded-header handling when proxies are configured; returns whether it did.</summary>
    /// <exception cref="InvalidOperationException">An entry is not an IP address.</exception>
    public static bool AddIfConfigured(IServiceCollection services, IConfiguration configuration)
    {
        var configured = configuration.GetSection(ConfigurationKey).Get<string[]>() ?? [];
        if (configured.Length == 0)
        {
            return false;
        }

        var proxies = configured
            .Select(p => IPAddress.TryParse(p.Trim(), out var address)
                ? address
                : throw new InvalidOperationException($"'{p}' in {ConfigurationKey} is not an IP address. List the proxies' addresses, e.g. ForwardedHeaders__KnownProxies__0=10.0.0.5."))
            .ToList();
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = 1; // one proxy hop: its view of the client, nothing a client prepended
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                o.KnownProxies.Add(proxy);
            }
        });
        return true;
    }
}
