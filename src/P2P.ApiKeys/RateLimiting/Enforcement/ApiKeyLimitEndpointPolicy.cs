using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.Extensions.Options;

namespace P2P.ApiKeys.RateLimiting.Enforcement;

/// <summary>
/// Places <see cref="ApiKeyLimitStep"/> in front of every endpoint that requires authorization, by handing routing the
/// same endpoint (same route, order, metadata and name) with a request delegate that runs the step first. The step
/// therefore runs after the authorization middleware and before the endpoint, whatever the host registers: a
/// <see cref="MatcherPolicy"/> is one of many (a host's own services add to them, never replace this one), unlike the
/// single <c>IAuthorizationMiddlewareResultHandler</c> that a host's registration would silently replace.
/// </summary>
/// <remarks>
/// Runs last among matcher policies, so it wraps the endpoint that every other policy chose. Wrapped endpoints are
/// built once per endpoint and cached: a request costs a lock-free table read.
/// </remarks>
internal sealed class ApiKeyLimitEndpointPolicy(ApiKeyLimitStep step, IOptions<AuthorizationOptions> authorization) : MatcherPolicy, IEndpointSelectorPolicy
{
    // Weak: endpoints rebuilt by a data source (a reloaded configuration) are dropped with their wrappers.
    private readonly ConditionalWeakTable<Endpoint, Endpoint> _endpoints = [];

    public override int Order => int.MaxValue;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints)
    {
        foreach (var endpoint in endpoints)
        {
            if (RequiresAuthorization(endpoint))
            {
                return true;
            }
        }

        return false;
    }

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        for (var i = 0; i < candidates.Count; i++)
        {
            if (!candidates.IsValidCandidate(i))
            {
                continue;
            }

            var candidate = candidates[i];
            if (!_endpoints.TryGetValue(candidate.Endpoint, out var wrapped))
            {
                // Two requests racing here build two equal wrappers; either will do.
                wrapped = Wrap(candidate.Endpoint);
                _endpoints.AddOrUpdate(candidate.Endpoint, wrapped);
            }

            if (!ReferenceEquals(wrapped, candidate.Endpoint))
            {
                candidates.ReplaceEndpoint(i, wrapped, candidate.Values);
            }
        }

        return Task.CompletedTask;
    }

    private Endpoint Wrap(Endpoint endpoint)
    {
        if (endpoint.RequestDelegate is not { } original || !RequiresAuthorization(endpoint))
        {
            return endpoint;
        }

        var cost = endpoint.Metadata.GetMetadata<ApiKeyRateLimitCostAttribute>()?.Cost ?? 1;
        var disabled = endpoint.Metadata.GetMetadata<DisableApiKeyRateLimitAttribute>() is not null;
        RequestDelegate limited = context => step.InvokeAsync(context, original, cost, disabled);
        return endpoint is RouteEndpoint route
            ? new RouteEndpoint(limited, route.RoutePattern, route.Order, route.Metadata, route.DisplayName)
            : new Endpoint(limited, endpoint.Metadata, endpoint.DisplayName);
    }

    /// <summary>As the authorization middleware decides: anonymous wins, then the endpoint's own policy, then the fallback policy.</summary>
    private bool RequiresAuthorization(Endpoint endpoint)
    {
        var metadata = endpoint.Metadata;
        return metadata.GetMetadata<IAllowAnonymous>() is null
            && (metadata.GetMetadata<IAuthorizeData>() is not null
                || metadata.GetMetadata<AuthorizationPolicy>() is not null
                || metadata.GetMetadata<IAuthorizationRequirementData>() is not null
                || authorization.Value.FallbackPolicy is not null);
    }
}
