namespace P2P.ApiKeys;

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

    // Shared no-op delegates let the handler skip building a context nobody listens to (no allocation on rejection).
    internal static readonly Func<ApiKeyMessageReceivedContext, Task> NoOpMessageReceived = static _ => Task.CompletedTask;
    internal static readonly Func<ApiKeyValidatedContext, Task> NoOpValidated = static _ => Task.CompletedTask;
    internal static readonly Func<ApiKeyFailedContext, Task> NoOpFailed = static _ => Task.CompletedTask;

    /// <summary>Whether <see cref="MessageReceived"/> may do anything; false for the default events.</summary>
    internal bool ListensToMessages => GetType() != typeof(ApiKeyAuthenticationEvents) || !ReferenceEquals(OnMessageReceived, NoOpMessageReceived);

    /// <summary>Whether <see cref="Validated"/> may do anything; false for the default events.</summary>
    internal bool ListensToValidations => GetType() != typeof(ApiKeyAuthenticationEvents) || !ReferenceEquals(OnValidated, NoOpValidated);

    /// <summary>Whether <see cref="Failed"/> may do anything; false for the default events.</summary>
    internal bool ListensToFailures => GetType() != typeof(ApiKeyAuthenticationEvents) || !ReferenceEquals(OnFailed, NoOpFailed);

    /// <summary>Invoked first, before the key is read from the request.</summary>
    public virtual Task MessageReceived(ApiKeyMessageReceivedContext context) => OnMessageReceived(context);

    /// <summary>Invoked after a key was verified, before the request is authenticated.</summary>
    public virtual Task Validated(ApiKeyValidatedContext context) => OnValidated(context);

    /// <summary>Invoked when a presented key was refused.</summary>
    public virtual Task Failed(ApiKeyFailedContext context) => OnFailed(context);
}
