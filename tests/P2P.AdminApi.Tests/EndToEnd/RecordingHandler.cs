namespace P2P.AdminApi.Tests.EndToEnd;

/// <summary>Real sockets, and every response body kept, so a test can prove a secret appears in none of them.</summary>
internal sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly List<string> _responses = [];

    public IReadOnlyList<string> Responses
    {
        get
        {
            lock (_responses)
            {
                return [.. _responses];
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        // Buffer so the caller can still read the body; headers count too (a key must not be echoed there either).
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var record = $"{request.Method} {request.RequestUri} {(int)response.StatusCode}\n{response.Headers}{response.Content.Headers}\n{body}";
        lock (_responses)
        {
            _responses.Add(record);
        }

        return response;
    }
}
