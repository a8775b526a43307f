using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using P2P.ApiKeys.Management;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Admin.Keys;

/// <summary>
/// <c>/owners/{owner}</c>: an owner's shared budget, through <see cref="IApiKeyOwnerLimits"/> (which validates and audits
/// with the caller as actor).
/// </summary>
internal sealed class AdminOwnerService(IApiKeyOwnerLimits owners, TimeProvider clock)
{
    public async Task<Results<Ok<OwnerResponse>, ProblemHttpResult>> GetAsync(string owner, HttpContext context)
    {
        var result = await owners.GetAsync(owner, context.RequestAborted).ConfigureAwait(false);
        return result.Succeeded ? TypedResults.Ok(OwnerResponse.From(result.Value!, clock.GetUtcNow())) : AdminResults.Problem(result);
    }

    public async Task<Results<Ok<OwnerResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(string owner, HttpContext context)
    {
        var (request, error) = await AdminRequestReader.ReadJsonAsync<UpdateOwnerRequest>(context).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var update = request!.ToManagerRequest(errors);
        if (errors.Count > 0)
        {
            return AdminResults.Invalid(errors);
        }

        var caller = AdminCaller.From(context.User);
        var actor = (caller.Actor ?? AuditActor.System) with { ClientAddress = context.Connection.RemoteIpAddress?.ToString() };
        var result = await owners.UpdateAsync(owner, update, actor, context.RequestAborted).ConfigureAwait(false);
        return result.Succeeded ? TypedResults.Ok(OwnerResponse.From(result.Value!, clock.GetUtcNow())) : AdminResults.Problem(result);
    }
}
