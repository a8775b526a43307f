using System.ComponentModel;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using P2P.ApiKeys.Stores;
using P2P.ApiKeys.Usage;

namespace P2P.ApiKeys.Admin.Keys;

/// <summary>
/// <c>GET /keys/{id}/usage</c> and <c>GET /usage?owner=</c>: the usage history through <see cref="IApiKeyUsage"/>, hourly
/// or daily, by outcome, with distinct clients. Bad input is a 400 validation problem, an unknown key a 404.
/// </summary>
internal static class AdminUsageEndpoints
{
    private const string FromHelp = "Start of the range, ISO 8601 (UTC without an offset), rounded down to a whole bucket. Default: 24 hours (hourly) or 30 days (daily) before to.";
    private const string ToHelp = "End of the range (exclusive), ISO 8601, rounded up to a whole bucket. Default: now.";
    private const string GranularityHelp = "hour (default) or day.";

    private const string RangeHelp =
        "from and to are ISO 8601 instants (UTC when no offset is given), rounded out to whole buckets; without them the last 24 hours " +
        "(granularity=hour, the default) or 30 days (granularity=day). An hourly range covers at most 31 days, a daily one the days kept (400). " +
        "Counts by outcome: allowed (the endpoint ran), rate_limited and quota_exhausted (429), forbidden (403, a scope missing), refused " +
        "(401, the key was revoked, expired, disabled or its rotation grace had ended: a client that never switched). clients estimates the " +
        "distinct client addresses (HyperLogLog, about 6.5 % error; exact for a few dozen). The last flush interval (30 s) may be missing.";

    public static void Map(RouteGroupBuilder root, RouteGroupBuilder keys)
    {
        keys.MapGet("/{id}/usage", GetKeyUsageAsync)
            .RequireAuthorization(AdminDefaults.PermissionPolicy(AdminPermissions.KeysRead))
            .WithSummary("Get an API key's usage")
            .WithDescription("One key's requests per hour or day (every bucket of the range, empty ones included) and the total. " + RangeHelp +
                " An API key needs admin:keys:read.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        root.MapGroup("/usage")
            .WithTags(AdminDefaults.KeyManagementTag)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .MapGet("/", GetOwnerUsageAsync)
            .RequireAuthorization(AdminDefaults.PermissionPolicy(AdminPermissions.KeysRead))
            .WithSummary("Get an owner's usage")
            .WithDescription("The requests of every key of one owner (owner, required) per hour or day, read in one query: per key (keys and " +
                "buckets without requests left out) and the total over all of them. " + RangeHelp + " An API key needs admin:keys:read.")
            .ProducesValidationProblem();
    }

    private static async Task<Results<Ok<ApiKeyUsageReport>, ProblemHttpResult>> GetKeyUsageAsync(
        string id,
        [FromQuery, Description(FromHelp)] string? from,
        [FromQuery, Description(ToHelp)] string? to,
        [FromQuery, Description(GranularityHelp)] string? granularity,
        HttpContext context,
        [FromServices] IApiKeyUsage usage)
    {
        if (!AdminInput.TryParseId(id, out var keyId))
        {
            return AdminResults.NotFound("API key");
        }

        if (!TryReadQuery(from, to, granularity, out var query, out var errors))
        {
            return AdminResults.Invalid(errors);
        }

        var result = await usage.GetKeyUsageAsync(keyId, query, context.RequestAborted).ConfigureAwait(false);
        return result.Succeeded ? TypedResults.Ok(result.Value) : AdminResults.Problem(result);
    }

    private static async Task<Results<Ok<ApiKeyOwnerUsageReport>, ProblemHttpResult>> GetOwnerUsageAsync(
        [FromQuery, Description("The owner whose keys are reported (required).")] string? owner,
        [FromQuery, Description(FromHelp)] string? from,
        [FromQuery, Description(ToHelp)] string? to,
        [FromQuery, Description(GranularityHelp)] string? granularity,
        HttpContext context,
        [FromServices] IApiKeyUsage usage)
    {
        if (!TryReadQuery(from, to, granularity, out var query, out var errors))
        {
            return AdminResults.Invalid(errors);
        }

        var result = await usage.GetOwnerUsageAsync(owner ?? "", query, context.RequestAborted).ConfigureAwait(false);
        return result.Succeeded ? TypedResults.Ok(result.Value) : AdminResults.Problem(result);
    }

    /// <summary>Reads <c>from</c>, <c>to</c> and <c>granularity</c>; the range rules are <see cref="IApiKeyUsage"/>'s.</summary>
    internal static bool TryReadQuery(string? from, string? to, string? granularity, out ApiKeyUsageQuery query, out Dictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var start = ReadInstant(from, "from", errors);
        var end = ReadInstant(to, "to", errors);
        var span = ApiKeyUsageGranularity.Hour;
        switch (granularity)
        {
            case null or "hour":
                break;
            case "day":
                span = ApiKeyUsageGranularity.Day;
                break;
            default:
                errors["granularity"] = ["granularity must be hour or day."];
                break;
        }

        query = new ApiKeyUsageQuery { From = start, To = end, Granularity = span };
        return errors.Count == 0;
    }

    private static DateTimeOffset? ReadInstant(string? raw, string name, Dictionary<string, string[]> errors)
    {
        if (raw is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            return value;
        }

        errors[name] = [$"{name} must be an ISO 8601 date and time, for example 2026-03-01T00:00:00Z."];
        return null;
    }
}
