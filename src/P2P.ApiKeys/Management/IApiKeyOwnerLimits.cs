using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Management;

/// <summary>
/// Owners' budgets from code: a rate limit and a quota shared by all of an owner's keys, checked together with each
/// key's own. Changes are audited (<c>owner.limits_changed</c>, with the actor) and seen by this node at once, by other
/// nodes within 30 seconds (the owner-limit cache's lifetime).
/// </summary>
public interface IApiKeyOwnerLimits
{
    /// <summary>The owner's limits, what is used of them, and how many active keys the owner has.</summary>
    /// <param name="owner">The owner's name, as on its keys.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The information, or <see cref="ApiKeyError.Invalid"/> for a malformed owner name.</returns>
    Task<ApiKeyResult<ApiKeyOwnerBudgetInfo>> GetAsync(string owner, CancellationToken cancellationToken = default);

    /// <summary>Sets or removes the owner's rate limit and quota; what the update leaves <see langword="null"/> stays as it is.</summary>
    /// <param name="owner">The owner's name, as on its keys.</param>
    /// <param name="update">The change.</param>
    /// <param name="actor">Who changes it, for the audit.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>The owner's budget after the change, or <see cref="ApiKeyError.Invalid"/> with the field errors.</returns>
    Task<ApiKeyResult<ApiKeyOwnerBudgetInfo>> UpdateAsync(string owner, ApiKeyOwnerLimitsUpdate update, AuditActor actor, CancellationToken cancellationToken = default);
}
