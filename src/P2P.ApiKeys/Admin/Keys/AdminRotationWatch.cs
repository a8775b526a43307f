using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Usage;

namespace P2P.ApiKeys.Admin.Keys;

/// <summary>The <c>rotation_watch</c> of <c>GET /keys/{id}</c>, from <see cref="ApiKeyRotationWatch"/>.</summary>
internal static class AdminRotationWatch
{
    public static async Task<RotationWatch?> ReadAsync(HttpContext context, ApiKeyRecord key)
    {
        if (key.ReplacedByKeyId is null
            || await context.RequestServices.GetRequiredService<ApiKeyRotationWatch>().ReadAsync(key, context.RequestAborted).ConfigureAwait(false) is not { } status)
        {
            return null;
        }

        return new RotationWatch
        {
            ReplacedBy = status.ReplacedBy,
            RotatedAt = status.RotatedAt,
            GraceEndsAt = status.GraceEndsAt,
            RequestsSinceRotation = status.SinceRotation.Total,
            RefusedSinceRotation = status.SinceRotation.Refused,
            ClientsSinceRotation = status.SinceRotation.Clients,
            LastUsedAt = key.LastUsedAt,
            Stalled = status.Stalled,
        };
    }
}
