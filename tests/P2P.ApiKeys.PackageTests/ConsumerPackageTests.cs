using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using P2P.Tests.Shared;

namespace P2P.ApiKeys.PackageTests;

/// <summary>
/// Proves that a team can follow the README's "Install" and both quick starts: pack the packages into a folder as the
/// README does, add it with the README's <c>nuget.config</c>, build a fresh web project outside the solution whose
/// Program.cs is the README's quick start (with the EF provider version the README names), start it on 127.0.0.1 and
/// run the seed's workflow over HTTP; then the same for the README's <c>CustomerKeys.cs</c> and its <c>Program.cs</c>.
/// </summary>
public sealed partial class ConsumerPackageTests
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(6);

    /// <summary>
    /// Packing the packages and building and running consumer apps takes minutes on a small machine: the default
    /// <c>dotnet test</c> skips it; <c>.ci/run</c> sets <c>P2P_FULL_TESTS=1</c> and runs it.
    /// </summary>
    internal const string PackageSkip = "Packs every package and builds consumer apps (about 100 s): set P2P_FULL_TESTS=1 to run it (.ci/run does)";

    [Fact(Skip = PackageSkip, SkipUnless = nameof(FullTests.Enabled), SkipType = typeof(FullTests))]
    public async Task ReadmeQuickStart_BuiltFromPackedPackages_RunsTheSeedWorkflow()
    {
        var ct = TestContext.Current.CancellationToken;
        var repo = FindRepositoryRoot();
        var work = Directory.CreateTempSubdirectory("p2p-consumer-");
        try
        {
            var feed = Path.Combine(work.FullName, "feed");
            var version = $"0.0.0-ci.{DateTime.UtcNow:yyyyMMddHHmmssfff}";
            foreach (var project in new[] { "P2P.ApiKeys", "P2P.ApiKeys.EFCore" })
            {
                await PackAsReadmeSaysAsync(repo, project, feed, version);
            }

            AssertPackageContents(Path.Combine(feed, $"P2P.ApiKeys.{version}.nupkg"), "P2P.ApiKeys.dll", "P2P.ApiKeys.xml", "README.md");
            AssertPackageContents(Path.Combine(feed, $"P2P.ApiKeys.EFCore.{version}.nupkg"), "P2P.ApiKeys.EFCore.dll", "P2P.ApiKeys.EFCore.xml", "README.md");
            Assert.True(File.Exists(Path.Combine(feed, $"P2P.ApiKeys.{version}.snupkg")), "symbol package missing");
            using (var package = System.IO.Compression.ZipFile.OpenRead(Path.Combine(feed, $"P2P.ApiKeys.{version}.nupkg")))
            using (var reader = new StreamReader(package.GetEntry("README.md")!.Open()))
            {
                var packageReadme = await reader.ReadToEndAsync(ct);
                Assert.Contains(ReadQuickStart(repo).Trim(), packageReadme.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
            }

            var app = await WriteConsumerProjectAsync(
                work.FullName, "Consumer", feed, version, ["P2P.ApiKeys", "P2P.ApiKeys.EFCore", "Microsoft.EntityFrameworkCore.Sqlite/" + ReadmeSqliteVersion(repo)], ct);
            await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), ReadQuickStart(repo), ct);

            var (buildCode, buildOutput) = await ProcessRunner.RunAsync("dotnet", "build -c Release", app, BuildTimeout);
            Assert.True(buildCode == 0, $"The README quick start does not build against the packages:\n{buildOutput}");

            await RunConsumerAsync(app, "Consumer", RunSeedWorkflowAsync, ct);

            // The second quick start: a host that mints keys for its own users with IApiKeyManager, no admin token.
            var fromCode = await WriteConsumerProjectAsync(work.FullName, "FromCode", feed, version, ["P2P.ApiKeys"], ct);
            await File.WriteAllTextAsync(Path.Combine(fromCode, "CustomerKeys.cs"), ReadBlock(repo, "keysfromcode"), ct);
            await File.WriteAllTextAsync(Path.Combine(fromCode, "Program.cs"), ReadBlock(repo, "keysfromcode-program"), ct);
            (buildCode, buildOutput) = await ProcessRunner.RunAsync("dotnet", "build -c Release", fromCode, BuildTimeout);
            Assert.True(buildCode == 0, $"The README 'keys from code' block does not build against the packages:\n{buildOutput}");
            await RunConsumerAsync(fromCode, "FromCode", RunKeyLifecycleAsync, ct);
        }
        finally
        {
            try { work.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static async Task RunConsumerAsync(string app, string assembly, Func<HttpClient, StringBuilder, CancellationToken, Task> scenario, CancellationToken ct)
    {
        var port = FreePort();
        var log = new StringBuilder();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Admin__Token__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), // the README binds Admin:Token:SigningKey
        };
        using var server = ProcessRunner.Start(
            "dotnet", $"bin/Release/net10.0/{assembly}.dll --urls http://127.0.0.1:{port}", app, log, environment);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            await WaitUntilListeningAsync(http, server, log, ct);
            await scenario(http, log, ct);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Issue (200), disable (401), enable (200), rotate (a new id and key; both keys work during the grace period), revoke
    /// (401); another customer's key and an unknown id are 404, rotating the rotated key again is 409.
    /// </summary>
    private static async Task RunKeyLifecycleAsync(HttpClient http, StringBuilder log, CancellationToken ct)
    {
        async Task<HttpStatusCode> ReportsAsync(string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/reports");
            request.Headers.Add("X-API-Key", key);
            using var response = await http.SendAsync(request, ct);
            return response.StatusCode;
        }

        async Task<HttpStatusCode> PostAsync(string path)
        {
            using var response = await http.PostAsync(path, content: null, ct);
            return response.StatusCode;
        }

        using var issued = await http.PostAsync("/portal/acme/keys/", content: null, ct);
        Assert.True(issued.StatusCode == HttpStatusCode.OK, $"issue: {(int)issued.StatusCode}\n{ProcessRunner.Text(log)}");
        using var issuedBody = JsonDocument.Parse(await issued.Content.ReadAsStringAsync(ct));
        var id = issuedBody.RootElement.GetProperty("id").GetGuid();
        var key = issuedBody.RootElement.GetProperty("key").GetString()!;
        Assert.StartsWith("p2p_", key, StringComparison.Ordinal);

        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/reports"))
        {
            request.Headers.Add("X-API-Key", key);
            using var reports = await http.SendAsync(request, ct);
            Assert.Equal(HttpStatusCode.OK, reports.StatusCode);
            using var body = JsonDocument.Parse(await reports.Content.ReadAsStringAsync(ct));
            Assert.Equal("acme", body.RootElement.GetProperty("owner").GetString());
            Assert.Equal("pro", body.RootElement.GetProperty("plan").GetString());
        }

        // Another customer cannot touch acme's key, nor learn that it exists: the same 404 as an id nobody has.
        using (var foreign = await http.DeleteAsync($"/portal/globex/keys/{id}", ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, await PostAsync($"/portal/acme/keys/{Guid.NewGuid()}/rotate"));

        Assert.Equal(HttpStatusCode.OK, await PostAsync($"/portal/acme/keys/{id}/enabled/false"));
        Assert.Equal(HttpStatusCode.Unauthorized, await ReportsAsync(key));
        Assert.Equal(HttpStatusCode.OK, await PostAsync($"/portal/acme/keys/{id}/enabled/true"));
        Assert.Equal(HttpStatusCode.OK, await ReportsAsync(key));

        using var rotated = await http.PostAsync($"/portal/acme/keys/{id}/rotate", content: null, ct);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        using var rotatedBody = JsonDocument.Parse(await rotated.Content.ReadAsStringAsync(ct));
        var newId = rotatedBody.RootElement.GetProperty("id").GetGuid();
        var newKey = rotatedBody.RootElement.GetProperty("key").GetString()!;
        Assert.NotEqual(id, newId);
        Assert.NotEqual(key, newKey);
        Assert.Equal(HttpStatusCode.OK, await ReportsAsync(key));    // grace period
        Assert.Equal(HttpStatusCode.OK, await ReportsAsync(newKey));

        // The old key is rotated already: a conflict, which the caller tells apart from "not found".
        using (var again = await http.PostAsync($"/portal/acme/keys/{id}/rotate", content: null, ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Contains("detail", await again.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        using (var revoke = await http.DeleteAsync($"/portal/acme/keys/{id}", ct))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await ReportsAsync(key));
        Assert.Equal(HttpStatusCode.OK, await ReportsAsync(newKey));

        // The new key is managed by its own id, like the first.
        Assert.Equal(HttpStatusCode.OK, await PostAsync($"/portal/acme/keys/{newId}/enabled/false"));
        Assert.Equal(HttpStatusCode.Unauthorized, await ReportsAsync(newKey));

        lock (log)
        {
            Assert.DoesNotContain(key, ProcessRunner.Text(log), StringComparison.Ordinal);
            Assert.DoesNotContain(newKey, ProcessRunner.Text(log), StringComparison.Ordinal);
        }
    }

    private static async Task RunSeedWorkflowAsync(HttpClient http, StringBuilder log, CancellationToken ct)
    {
        // Step 2: the one-time admin bootstrap.
        var created = await http.PostAsJsonAsync("/admin/users/", new { username = "admin", password = "a long pass phrase 42" }, ct);
        Assert.True(created.IsSuccessStatusCode, $"bootstrap: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync(ct)}\n{ProcessRunner.Text(log)}");

        // Step 3: log in with form fields.
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "admin", ["password"] = "a long pass phrase 42" });
        var tokenResponse = await http.PostAsync("/admin/token", form, ct);
        Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
        using var token = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync(ct));
        var accessToken = token.RootElement.GetProperty("access_token").GetString();
        Assert.Equal("bearer", token.RootElement.GetProperty("token_type").GetString(), ignoreCase: true);

        // Step 4: a key with a name only.
        using var createKey = new HttpRequestMessage(HttpMethod.Post, "/admin/keys/") { Content = JsonContent.Create(new { name = "Streamlit App Key" }) };
        createKey.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var keyResponse = await http.SendAsync(createKey, ct);
        Assert.Equal(HttpStatusCode.Created, keyResponse.StatusCode);
        using var keyBody = JsonDocument.Parse(await keyResponse.Content.ReadAsStringAsync(ct));
        var key = keyBody.RootElement.GetProperty("key").GetString()!;
        Assert.StartsWith("p2p_", key, StringComparison.Ordinal);

        // Step 6: the client calls the protected endpoint with the key; without it, 401.
        using var withKey = new HttpRequestMessage(HttpMethod.Get, "/api/p2p/summary");
        withKey.Headers.Add("X-API-Key", key);
        var ok = await http.SendAsync(withKey, ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        var anonymous = await http.GetAsync("/api/p2p/summary", ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);

        lock (log)
        {
            Assert.DoesNotContain(key, ProcessRunner.Text(log), StringComparison.Ordinal);
        }
    }

    private static async Task WaitUntilListeningAsync(HttpClient http, System.Diagnostics.Process server, StringBuilder log, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(server.HasExited, $"The consumer app exited at start-up:\n{ProcessRunner.Text(log)}");
            try
            {
                using var response = await http.GetAsync("/api/p2p/summary", ct);
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(250, ct);
            }
        }

        Assert.Fail($"The consumer app did not start listening within 60 s:\n{ProcessRunner.Text(log)}");
    }

    /// <summary>
    /// A fresh web project outside the solution, with warnings as errors, that restores only from the private feed
    /// (plus nuget.org's defaults for the packages not built here). Each entry of <paramref name="packages"/> is
    /// "Name" (this build's version) or "Name/Version".
    /// </summary>
    private static async Task<string> WriteConsumerProjectAsync(string parent, string name, string feed, string version, IEnumerable<string> packages, CancellationToken ct)
    {
        var dir = Path.Combine(parent, name);
        Directory.CreateDirectory(dir);
        var references = string.Join("\n", packages.Select(p => p.Split('/') is [var id, var pinned]
            ? $"    <PackageReference Include=\"{id}\" Version=\"{pinned}\" />"
            : $"    <PackageReference Include=\"{p}\" Version=\"{version}\" />"));
        await File.WriteAllTextAsync(Path.Combine(dir, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
            {references}
              </ItemGroup>
            </Project>
            """, ct);
        await File.WriteAllTextAsync(Path.Combine(dir, "nuget.config"), ReadmeNuGetConfig(FindRepositoryRoot(), feed), ct);
        return dir;
    }

    private static void AssertPackageContents(string nupkg, params string[] fileNames)
    {
        using var package = System.IO.Compression.ZipFile.OpenRead(nupkg);
        var entries = package.Entries.Select(e => Path.GetFileName(e.FullName)).ToHashSet(StringComparer.Ordinal);
        foreach (var name in fileNames)
        {
            Assert.True(entries.Contains(name), $"{Path.GetFileName(nupkg)} lacks {name}; it has: {string.Join(", ", entries)}");
        }

        using var nuspec = new StreamReader(package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        var manifest = nuspec.ReadToEnd();
        Assert.Contains("<license type=\"expression\">MIT</license>", manifest, StringComparison.Ordinal);
        Assert.Contains("<readme>README.md</readme>", manifest, StringComparison.Ordinal);
        Assert.Contains("<repository type=\"git\"", manifest, StringComparison.Ordinal);
    }

    /// <summary>
    /// Packs one package as the README's "Install" loop does (<c>dotnet pack src/$p -c Release -o ./feed</c>), into
    /// <paramref name="feed"/> and with this run's own version, so that no earlier pack in NuGet's cache stands in for it.
    /// The loop must name every package under src/.
    /// </summary>
    internal static async Task PackAsReadmeSaysAsync(string repo, string project, string feed, string version)
    {
        var block = ReadBlock(repo, "install-pack", "bash");
        Assert.Contains("dotnet pack src/$p -c Release -o ./feed", block, StringComparison.Ordinal);
        foreach (var package in Directory.EnumerateDirectories(Path.Combine(repo, "src")).Select(Path.GetFileName))
        {
            Assert.Matches($@"for p in [^;]*\b{Regex.Escape(package!)}( |;)", block);
        }

        var (code, output) = await ProcessRunner.RunAsync(
            "dotnet", $"pack \"src/{project}\" -c Release -o \"{feed}\" -p:Version={version}", repo, BuildTimeout);
        Assert.True(code == 0, $"dotnet pack src/{project} failed:\n{output}");
        Assert.DoesNotContain(": warning ", output, StringComparison.Ordinal);
    }

    /// <summary>The README's <c>nuget.config</c>, with its placeholder path replaced by <paramref name="feed"/>.</summary>
    internal static string ReadmeNuGetConfig(string repo, string feed)
    {
        const string Placeholder = "/path/to/p2p-apikeys/feed";
        var config = ReadBlock(repo, "install-nugetconfig", "xml");
        Assert.Contains(Placeholder, config, StringComparison.Ordinal);
        return config.Replace(Placeholder, feed, StringComparison.Ordinal);
    }

    /// <summary>The version the README's Install pins for <c>Microsoft.EntityFrameworkCore.Sqlite</c>: a 10.x, as net10.0 needs.</summary>
    internal static string ReadmeSqliteVersion(string repo)
    {
        var match = Regex.Match(File.ReadAllText(Path.Combine(repo, "README.md")), @"dotnet add package Microsoft\.EntityFrameworkCore\.Sqlite --version (\S+)");
        Assert.True(match.Success, "README.md must pin the EF provider: dotnet add package Microsoft.EntityFrameworkCore.Sqlite --version 10.x");
        Assert.StartsWith("10.", match.Groups[1].Value, StringComparison.Ordinal);
        return match.Groups[1].Value;
    }

    /// <summary>The C# block between the quick-start markers of the root README, verbatim.</summary>
    internal static string ReadQuickStart(string repo) => ReadBlock(repo, "quickstart");

    /// <summary>The fenced block between <c>&lt;!-- {marker}:start --&gt;</c> and <c>&lt;!-- {marker}:end --&gt;</c> of the root README.</summary>
    internal static string ReadBlock(string repo, string marker, string language = "csharp")
    {
        var readme = File.ReadAllText(Path.Combine(repo, "README.md"));
        var match = Regex.Match(readme, $@"<!-- {marker}:start -->\s*```{language}\r?\n(?<code>.*?)```\s*<!-- {marker}:end -->", RegexOptions.Singleline);
        Assert.True(match.Success, $"README.md must hold a ```{language} block between <!-- {marker}:start --> and <!-- {marker}:end -->.");
        return match.Groups["code"].Value;
    }

    internal static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "P2P.ApiKeys.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("P2P.ApiKeys.sln not found above " + AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
