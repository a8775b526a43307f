using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using P2P.ApiKeys.Stores;

[assembly: AssemblyFixture(typeof(P2P.AdminApi.Tests.Infrastructure.AdminApiFactory))]

namespace P2P.AdminApi.Tests.Infrastructure;

/// <summary>
/// The sample host on TestServer, shared by the whole assembly: Development, a temporary data directory
/// (never the developer's real one), a fixed clock so the demo data and the OpenAPI snapshot are stable, and
/// every log record captured.
/// </summary>
public sealed class AdminApiFactory : WebApplicationFactory<Program>
{
    /// <summary>"Now" for the host: the demo data is built as of 2026-11-24.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 9, 30, 0, TimeSpan.Zero);

    public static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);

    private readonly bool _kestrel;
    private readonly bool _ownsDataDirectory;
    private readonly bool _systemClock;
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public AdminApiFactory()
        : this(kestrel: false)
    {
    }

    /// <param name="kestrel">
    /// Serve over real HTTP on 127.0.0.1 and a free port, chosen through <c>urls</c> exactly as <c>--urls</c>
    /// would, instead of the in-memory TestServer.
    /// </param>
    /// <param name="dataDirectory">
    /// Use this data directory and leave it in place on dispose (to restart a host on the same state); by
    /// default a fresh temporary one, deleted on dispose.
    /// </param>
    /// <param name="settings">More configuration, e.g. <c>Database:Provider</c> and <c>ConnectionStrings:ApiKeys</c>.</param>
    /// <param name="systemClock">Keep the sample's real clock instead of the fixed <see cref="Now"/>.</param>
    internal AdminApiFactory(
        bool kestrel,
        string? dataDirectory = null,
        IReadOnlyDictionary<string, string?>? settings = null,
        bool systemClock = false)
    {
        _kestrel = kestrel;
        _ownsDataDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("p2p-adminapi-tests-").FullName;
        _settings = settings ?? new Dictionary<string, string?>();
        _systemClock = systemClock;
        _dataKey = new Lazy<Task<string>>(CreateDataKeyAsync);
        if (kestrel)
        {
            UseKestrel();
        }
    }

    public string DataDirectory { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (_kestrel)
        {
            builder.UseSetting("urls", "http://127.0.0.1:0");
        }

        builder.UseEnvironment("Development");
        builder.UseSetting("DataDirectory", DataDirectory);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        // Only the fake logger: records are asserted on, and the console stays quiet.
        builder.ConfigureLogging(logging => logging.ClearProviders().AddFakeLogging());
        if (!_systemClock)
        {
            builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now)));
        }

        // These tests are about the sample, not about password hashing (tests/P2P.ApiKeys.Tests checks the
        // library's 220,000-iteration hasher): the same Identity V3 format with one iteration keeps every
        // bootstrap and login from costing a quarter of a second of CPU.
        builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton(FastPasswordHasher)));
    }

    private static readonly IPasswordHasher<AdminUser> FastPasswordHasher = new PasswordHasher<AdminUser>(Options.Create(new PasswordHasherOptions
    {
        CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
        IterationCount = 1,
    }));

    /// <summary>
    /// A client for the <c>/api/p2p</c> data routes, sending a key created through the real admin endpoints
    /// (bootstrap admin, log in, <c>POST /admin/keys/</c> with a name only, so it carries the default scope
    /// <c>p2p:read</c>). One key for the whole assembly, created on first use.
    /// </summary>
    public HttpClient CreateDataClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", _dataKey.Value.GetAwaiter().GetResult());
        return client;
    }

    private readonly Lazy<Task<string>> _dataKey;

    private async Task<string> CreateDataKeyAsync()
    {
        using var admin = CreateClient();
        var session = await AdminSession.BootstrapAsync(admin, "fixture-admin", "fixture admin passphrase 1");
        return await session.CreateKeyAsync("Data tests key");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!_ownsDataDirectory)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory must not fail the run.
        }
    }
}
