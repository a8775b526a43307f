using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using P2P.AdminApi.Tests.Infrastructure;

namespace P2P.AdminApi.Tests.EndToEnd;

/// <summary>
/// The sample on real Kestrel (127.0.0.1, a free port) with the system clock, and a plain socket
/// <see cref="HttpClient"/> to it: nothing in-memory between the test and the server.
/// </summary>
internal sealed class SampleHost : IAsyncDisposable
{
    private readonly AdminApiFactory _factory;

    private SampleHost(AdminApiFactory factory, Uri address)
    {
        _factory = factory;
        Address = address;
        Client = new HttpClient(Recorder) { BaseAddress = address };
    }

    public Uri Address { get; }

    public RecordingHandler Recorder { get; } = new();

    public HttpClient Client { get; }

    public FakeLogCollector Logs => _factory.Services.GetFakeLogCollector();

    /// <summary>Starts the sample on <paramref name="dataDirectory"/>, which outlives the host.</summary>
    public static SampleHost Start(string dataDirectory, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var factory = new AdminApiFactory(kestrel: true, dataDirectory, settings, systemClock: true);
        using var probe = factory.CreateClient(); // starts the host; its base address is the Kestrel address
        return new SampleHost(factory, probe.BaseAddress!);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
    }
}
