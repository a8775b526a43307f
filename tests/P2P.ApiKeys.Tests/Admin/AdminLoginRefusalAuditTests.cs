using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using System.Diagnostics.Metrics;
using P2P.ApiKeys.Admin;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Tests.Admin;

/// <summary>
/// docs/security.md rule 23 for the audit trail: refusals anyone can cause without an account (the per-client limit,
/// a locked account, unknown user names) are counted in metrics, and the audit trail gets one row per kind and
/// window, not one per request.
/// </summary>
public sealed class AdminLoginRefusalAuditTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Token_FloodOfThrottledAndUnknownUserLogins_OneAuditRowPerKindAndWindowEveryRefusalCounted()
    {
        await using var host = await AdminTestHost.StartAsync(admin: o => o.Endpoints.TokenPermitLimit = 3);
        (await host.CreateAdminAsync(AdminTestHost.AdminName, AdminTestHost.AdminPassword)).Dispose();
        using var refusals = new MetricCollector<long>(host.App.Services.GetRequiredService<IMeterFactory>(), "P2P.ApiKeys", AdminLoginRefusals.RefusalsName);
        var rowsBefore = await RowIdsAsync(host);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 100; i++)
        {
            using var response = await host.RequestTokenAsync($"nobody-{i}", "wrong passphrase", clientIp: "198.51.100.9");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(97, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        var rows = await NewRowsAsync(host, rowsBefore);
        Assert.Equal(["login.failed", "login.throttled"], rows.Select(r => r.Action).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal("198.51.100.9", r.ClientAddress));
        Assert.Equal(97, refusals.GetMeasurementSnapshot().Where(m => (string?)m.Tags[AdminLoginRefusals.ReasonTag] == AdminLoginRefusals.ClientRateLimit).Sum(m => m.Value));
        Assert.Equal(3, refusals.GetMeasurementSnapshot().Where(m => (string?)m.Tags[AdminLoginRefusals.ReasonTag] == AdminLoginRefusals.UnknownUser).Sum(m => m.Value));

        // The next window gets its own row.
        host.Time.Advance(AdminLoginRefusals.Window);
        (await host.RequestTokenAsync("nobody", "wrong passphrase", clientIp: "198.51.100.9")).Dispose();
        Assert.Equal(3, (await NewRowsAsync(host, rowsBefore)).Count);
    }

    [Fact]
    public async Task Token_LockedAccountHammered_OneThrottledRowPerWindow()
    {
        await using var host = await AdminTestHost.StartAsync(admin: o => o.Endpoints.TokenPermitLimit = 1000);
        (await host.CreateAdminAsync(AdminTestHost.AdminName, AdminTestHost.AdminPassword)).Dispose();
        for (var i = 0; i < 5; i++)
        {
            (await host.RequestTokenAsync(AdminTestHost.AdminName, "wrong passphrase")).Dispose();
        }

        var rowsBefore = await RowIdsAsync(host);
        for (var i = 0; i < 40; i++)
        {
            using var response = await host.RequestTokenAsync(AdminTestHost.AdminName, "wrong passphrase", clientIp: $"192.0.2.{i + 1}");
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        }

        var row = Assert.Single(await NewRowsAsync(host, rowsBefore));
        Assert.Equal("login.throttled", row.Action);
        Assert.Equal(AdminTestHost.AdminName, row.Target);
    }

    private static async Task<List<AdminAuditEntry>> NewRowsAsync(AdminTestHost host, HashSet<Guid> before) =>
        [.. (await AllRowsAsync(host)).Where(e => !before.Contains(e.Id))];

    private static async Task<HashSet<Guid>> RowIdsAsync(AdminTestHost host) => [.. (await AllRowsAsync(host)).Select(e => e.Id)];

    private static async Task<List<AdminAuditEntry>> AllRowsAsync(AdminTestHost host)
    {
        // Every row: entries written at the same fake instant have no defined order among themselves.
        var rows = new List<AdminAuditEntry>();
        await foreach (var entry in host.Audit.ListAsync(0, int.MaxValue, Ct))
        {
            rows.Add(entry);
        }

        return rows;
    }
}
