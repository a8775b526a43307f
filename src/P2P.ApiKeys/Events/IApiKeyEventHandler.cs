namespace P2P.ApiKeys.Events;

/// <summary>
/// An in-process subscriber to key events (to send the host's own e-mails, say), called by the dispatcher of whichever
/// node claimed the event, after the change committed, never on the request's thread. At least once: an exception
/// makes the event retry (handlers and webhooks alike), so a handler must tolerate seeing an <see cref="ApiKeyEvent.Id"/>
/// twice, and must be thread-safe: the dispatcher hands several events to it at once, in no particular order. Register with <c>services.AddSingleton&lt;IApiKeyEventHandler, MyHandler&gt;()</c>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "It handles key events; the name the issue and docs use.")]
public interface IApiKeyEventHandler
{
    /// <summary>Handles one event.</summary>
    /// <param name="apiKeyEvent">The event.</param>
    /// <param name="cancellationToken">Cancelled when the host stops.</param>
    /// <returns>A task that completes when the event is handled.</returns>
    Task HandleAsync(ApiKeyEvent apiKeyEvent, CancellationToken cancellationToken);
}
