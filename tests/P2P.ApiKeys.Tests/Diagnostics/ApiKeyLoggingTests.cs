using Microsoft.Extensions.DependencyInjection;
using System.Net;
using P2P.ApiKeys.Tests.TestSupport;

namespace P2P.ApiKeys.Tests.Diagnostics;

public sealed class ApiKeyLoggingTests
{
    [Fact]
    public async Task CreateUseRevokeRun_KeyAndSecret_NeverLoggedOrEchoed()
    {
        await using var host = await ApiKeyTestHost.StartAsync(o => o.LastUsedFlushInterval = TimeSpan.FromSeconds(1));
        var bodies = new List<string>();
        var (key, record) = await host.CreateKeyAsync(["p2p:read"]);
        var secret = key[17..49];
        var secretHashHex = Convert.ToHexString(record.SecretHash);
        var secretHashBase64 = Convert.ToBase64String(record.SecretHash);

        async Task SendAsync(string path, string? value)
        {
            var response = await host.GetAsync(path, value);
            bodies.Add(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        await SendAsync("/read", key);                                   // miss
        await SendAsync("/read", key);                                   // hit
        await SendAsync("/write", key);                                  // 403
        await SendAsync("/read", key[..^1] + (key[^1] == 'A' ? 'B' : 'A')); // bad checksum
        await SendAsync("/read", TestKeys.WithChecksum(key[..17] + new string('Z', 32))); // wrong secret
        host.Time.Advance(TimeSpan.FromSeconds(1));                      // usage flush
        await host.RevokeAsync(record);
        await SendAsync("/read", key);                                   // revoked
        host.Store.Failure = new InvalidOperationException("database is down");
        host.Services.GetRequiredService<P2P.ApiKeys.Caching.IApiKeyVerificationCache>().Clear();
        await SendAsync("/read", key);                                   // 503
        await host.App.StopAsync(TestContext.Current.CancellationToken);

        var records = host.Logs.GetSnapshot();
        Assert.NotEmpty(records);
        Assert.Contains(records, r => r.Message.Contains(record.LookupId, StringComparison.Ordinal)); // the lookup id is fine
        foreach (var r in records)
        {
            var text = string.Join(
                '\n',
                new[] { r.Message, r.Exception?.ToString() ?? "" }
                    .Concat(r.StructuredState?.Select(p => p.Key + "=" + p.Value) ?? []));
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(secret[..12], text, StringComparison.Ordinal);
            Assert.DoesNotContain(key, text, StringComparison.Ordinal);
            Assert.DoesNotContain(secretHashHex, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(secretHashBase64, text, StringComparison.Ordinal);
        }

        foreach (var body in bodies)
        {
            Assert.DoesNotContain(secret[..12], body, StringComparison.Ordinal);
            Assert.DoesNotContain(record.LookupId, body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Authenticate_RequestAborted_NotLoggedAsStoreFailure()
    {
        await using var host = await ApiKeyTestHost.StartAsync();
        var (key, _) = await host.CreateKeyAsync();
        using var aborted = new CancellationTokenSource();
        await aborted.CancelAsync();
        host.Store.Failure = new OperationCanceledException(aborted.Token);

        var context = await host.SendRawAsync("/read", r =>
        {
            r.Headers["X-API-Key"] = key;
            r.HttpContext.RequestAborted = aborted.Token;
        });

        Assert.NotEqual(503, context.Response.StatusCode);
        Assert.DoesNotContain(host.Logs.GetSnapshot(), r => r.Id.Name == "ApiKeyStoreUnavailable");
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Name == "ApiKeyVerificationAborted");
    }
}
