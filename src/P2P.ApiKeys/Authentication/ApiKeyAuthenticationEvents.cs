namespace P2P.ApiKeys.Authentication;

/// <summary>
/// Hooks into API-key authentication. Set the delegates, or derive and override the methods and set
/// <see cref="Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions.EventsType"/>.
/// </summary>
public class ApiKeyAuthenticationEvents
{
    /// <summary>Invoked first, before the key is read from the request: set <see cref="ApiKeyMessageReceivedContext.Key"/> to supply it.</summary>
    public Func<ApiKeyMessageReceivedContext, Task> OnMessageReceived { get; set; } = NoOpMessageReceived;

    /// <summary>Invoked after a key was verified, before the request is authenticated.</summary>
    public Func<ApiKeyValidatedContext, Task> OnValidated { get; set; } = NoOpValidated;

    /// <summary>Invoked when a presented key was refused.</summary>
    public Func<ApiKeyFailedContext, Task> OnFailed { get; set; } = NoOpFailed;

    /// <summary>Invoked before the scheme answers a challenge (401, 429, 503); the handler may write its own response.</summary>
    public Func<ApiKeyChallengeContext, Task> OnChallenge { get; set; } = NoOpChallenge;

    /// <summary>Invoked before the scheme answers 403; the handler may write its own response.</summary>
    public Func<ApiKeyForbiddenContext, Task> OnForbidden { get; set; } = NoOpForbidden;

    // Shared no-op delegates let the handler skip building a context nobody listens to (no allocation on rejection).
    internal static readonly Func<ApiKeyMessageReceivedContext, Task> NoOpMessageReceived = static _ => Task.CompletedTask;
    internal static readonly Func<ApiKeyValidatedContext, Task> NoOpValidated = static _ => Task.CompletedTask;
    internal static readonly Func<ApiKeyFailedContext, Task> NoOpFailed = static _ => Task.CompletedTask;
    internal static readonly Func<ApiKeyChallengeContext, Task> NoOpChallenge = static _ => Task.CompletedTask;
    internal static readonly Func<ApiKeyForbiddenContext, Task> NoOpForbidden = static _ => Task.CompletedTask;

    /// <summary>Whether <see cref="MessageReceived"/> may do anything; false for the default events.</summary>
    internal bool ListensToMessages => GetType() != typeof(ApiKeyAuthenticationEvents) || !ReferenceEquals(OnMessageReceived, NoOpMessageReceived);

    /// <summary>Whether <see cref="Validated"/> may do anything; false for the default events.</summary>
    internal bool ListensToValidations => GetType() != typeof(ApiKeyAuthenticationEvents) || !ReferenceEquals(OnValidated, NoOpValidated);

    /// <summary>Whether <see cref="Failed"/> may do anything; false for the default events.</summary>
    internal bool ListensToFailures => GetType() != typeof(ApiKeyAuthenticationEvents) || !ReferenceEquals(OnFailed, NoOpFailed);

    /// <summary>Whether <see cref="Challenge"/> may do anything; false for the default events.</summary>
    internal bool ListensToChallenges => GetType() != typeof(ApiKeyAuthenticationEvents) || !ReferenceEquals(OnChallenge, NoOpChallenge);

    /// <summary>Whether <see cref="Forbidden"/> may do anything; false for the default events.</summary>
    internal bool ListensToForbidden => GetType() != typeof(ApiKeyAuthenticationEvents) || !ReferenceEquals(OnForbidden, NoOpForbidden);

    /// <summary>Invoked first, before the key is read from the request.</summary>
    public virtual Task MessageReceived(ApiKeyMessageReceivedContext context) => OnMessageReceived(context);

    /// <summary>Invoked after a key was verified, before the request is authenticated.</summary>
    public virtual Task Validated(ApiKeyValidatedContext context) => OnValidated(context);

    /// <summary>Invoked when a presented key was refused.</summary>
    public virtual Task Failed(ApiKeyFailedContext context) => OnFailed(context);

    /// <summary>Invoked before the scheme answers a challenge (401, 429, 503).</summary>
    public virtual Task Challenge(ApiKeyChallengeContext context) => OnChallenge(context);

    /// <summary>Invoked before the scheme answers 403.</summary>
    public virtual Task Forbidden(ApiKeyForbiddenContext context) => OnForbidden(context);
}
