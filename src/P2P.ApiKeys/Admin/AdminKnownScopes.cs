using Microsoft.Extensions.Options;

namespace P2P.ApiKeys.Admin;

/// <summary>
/// A host that lists its <see cref="ApiKeyOptions.KnownScopes"/> still lets keys carry the admin permissions: they are added
/// to the list (a host without a list accepts any well-formed scope anyway).
/// </summary>
internal sealed class AdminKnownScopes : IPostConfigureOptions<ApiKeyOptions>
{
    public void PostConfigure(string? name, ApiKeyOptions options)
    {
        if (options.KnownScopes.Count == 0)
        {
            return;
        }

        foreach (var permission in AdminPermissions.All)
        {
            if (!options.KnownScopes.Contains(permission))
            {
                options.KnownScopes.Add(permission);
            }
        }
    }
}
