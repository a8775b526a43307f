using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using P2P.ApiKeys.Admin;
using P2P.Tests.Shared;

namespace P2P.ApiKeys.Tests.Admin;

/// <summary>
/// docs/security.md rule 22: a login attempt is reserved before the password is checked, so at most
/// <c>LockoutThreshold</c> wrong passwords are ever checked per lockout period, whatever the concurrency, the
/// client addresses or the endpoint; unknown user names fail exactly like known ones, lockout included.
/// Races use real parallel requests on Kestrel.
/// </summary>
public sealed class AdminLoginLockoutTests
{
    private const int Threshold = 5;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Token_ParallelWrongGuessesFromManyAddresses_OnlyThresholdPasswordsChecked()
    {
        await using var host = await AdminTestHost.StartAsync(admin: o => o.Endpoints.TokenPermitLimit = 1000, kestrel: true);
        (await host.CreateAdminAsync(AdminTestHost.AdminName, AdminTestHost.AdminPassword)).Dispose();
        var before = host.Hasher.Verifications;

        // 24 wrong passwords, all at once, each from its own address.
        var statuses = await SendAllAsync(Enumerable.Range(0, 24)
            .Select(i => host.RequestTokenAsync(AdminTestHost.AdminName, $"wrong guess {i}", $"10.1.0.{i + 1}")));

        Assert.Equal(Threshold, host.Hasher.Verifications - before);
        Assert.Equal(Threshold, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(24 - Threshold, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task Token_ParallelWrongGuessesAndTheRightOne_MostAreRefusedUnchecked()
    {
        await using var host = await AdminTestHost.StartAsync(admin: o => o.Endpoints.TokenPermitLimit = 1000, kestrel: true);
        (await host.CreateAdminAsync(AdminTestHost.AdminName, AdminTestHost.AdminPassword)).Dispose();

        // 23 wrong and the right one at once. A success forgets only the failures reserved before it, so at most
        // Threshold - 1 wrong guesses are checked before the right one and Threshold after it.
        var passwords = Enumerable.Range(0, 23).Select(i => $"wrong guess {i}").Append(AdminTestHost.AdminPassword);
        var statuses = await SendAllAsync(passwords.Select((p, i) => host.RequestTokenAsync(AdminTestHost.AdminName, p, $"10.3.0.{i + 1}")));

        Assert.True(statuses.Count(s => s == HttpStatusCode.Unauthorized) <= (2 * Threshold) - 1, string.Join(",", statuses));
        Assert.Equal(24, statuses.Count(s => s is HttpStatusCode.Unauthorized or HttpStatusCode.OK or HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task Token_ParallelGuessesWithAccountAtThresholdMinusOne_OnlyOneChecked()
    {
        await using var host = await AdminTestHost.StartAsync(admin: o => o.Endpoints.TokenPermitLimit = 1000, kestrel: true);
        (await host.CreateAdminAsync(AdminTestHost.AdminName, AdminTestHost.AdminPassword)).Dispose();
        for (var i = 0; i < Threshold - 1; i++)
        {
            using var failed = await host.RequestTokenAsync(AdminTestHost.AdminName, "wrong passphrase");
            await ProblemAssert.IsProblemAsync(failed, HttpStatusCode.Unauthorized);
        }

        var before = host.Hasher.Verifications;
        var statuses = await SendAllAsync(Enumerable.Range(0, 12)
            .Select(i => host.RequestTokenAsync(AdminTestHost.AdminName, $"guess {i}", $"10.2.0.{i + 1}")));

        Assert.Equal(1, host.Hasher.Verifications - before);
        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(11, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task Token_UnknownUser_LockedOutExactlyLikeAKnownOne()
    {
        await using var host = await AdminTestHost.StartAsync(admin: o => o.Endpoints.TokenPermitLimit = 100);
        (await host.CreateAdminAsync(AdminTestHost.AdminName, AdminTestHost.AdminPassword)).Dispose();

        var known = await AnswersAsync(host, AdminTestHost.AdminName);
        var unknown = await AnswersAsync(host, "nobody");

        Assert.Equal([.. Enumerable.Repeat("401", Threshold), "429 30"], known);
        Assert.Equal(known, unknown);

        // After the delay one more guess each, and a doubled delay each.
        host.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(["401", "429 60"], await AnswersAsync(host, AdminTestHost.AdminName, count: 2));
        Assert.Equal(["401", "429 60"], await AnswersAsync(host, "NOBODY", count: 2));

        static async Task<string[]> AnswersAsync(AdminTestHost host, string userName, int count = Threshold + 1)
        {
            var answers = new List<string>();
            for (var i = 0; i < count; i++)
            {
                using var response = await host.RequestTokenAsync(userName, "wrong passphrase");
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
                Assert.Equal((int)response.StatusCode, problem.GetProperty("status").GetInt32());
                answers.Add(response.Headers.RetryAfter?.Delta is { } wait ? $"{(int)response.StatusCode} {wait.TotalSeconds}" : $"{(int)response.StatusCode}");
            }

            return [.. answers];
        }
    }

    [Fact]
    public async Task Token_ManyUnknownNames_TrackedInABoundedTable()
    {
        await using var host = await AdminTestHost.StartAsync();
        var throttle = host.App.Services.GetRequiredService<AdminLoginThrottle>();

        for (var i = 0; i < AdminLoginThrottle.UnknownNameCapacity + 500; i++)
        {
            Assert.True(throttle.ReserveUnknown($"NAME-{i}").Reserved);
        }

        Assert.Equal(AdminLoginThrottle.UnknownNameCapacity, throttle.UnknownNameCount);
        Assert.True(throttle.ReserveUnknown(new string('X', 100_000)).Reserved);
        Assert.Equal(AdminLoginThrottle.UnknownNameCapacity, throttle.UnknownNameCount);
    }

    [Fact]
    public async Task ChangePassword_WrongCurrentPasswords_CountTowardTheLockout()
    {
        await using var host = await AdminTestHost.StartAsync(admin: o => o.Endpoints.TokenPermitLimit = 100);
        var token = await host.BootstrapAsync();

        for (var i = 0; i < Threshold; i++)
        {
            using var wrong = await ChangeAsync(host, token, $"wrong current {i}");
            await ProblemAssert.IsProblemAsync(wrong, HttpStatusCode.BadRequest);
        }

        var verifications = host.Hasher.Verifications;
        using (var locked = await ChangeAsync(host, token, AdminTestHost.AdminPassword))
        {
            await ProblemAssert.IsProblemAsync(locked, HttpStatusCode.TooManyRequests);
            Assert.Equal(TimeSpan.FromSeconds(30), locked.Headers.RetryAfter?.Delta);
        }

        using (var login = await host.RequestTokenAsync(AdminTestHost.AdminName, AdminTestHost.AdminPassword))
        {
            await ProblemAssert.IsProblemAsync(login, HttpStatusCode.TooManyRequests);
        }

        Assert.Equal(verifications, host.Hasher.Verifications);

        // After the delay the right current password works and clears the count.
        host.Time.Advance(TimeSpan.FromSeconds(31));
        using (var changed = await ChangeAsync(host, token, AdminTestHost.AdminPassword))
        {
            Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        }

        var admin = await host.Users.FindByNormalizedUserNameAsync("ALICE", Ct);
        Assert.Equal(0, admin!.FailedLoginCount);
        Assert.Null(admin.LockoutEndsAt);
    }

    [Fact]
    public async Task ChangePassword_ParallelWrongCurrentPasswords_AtMostThresholdChecked()
    {
        await using var host = await AdminTestHost.StartAsync(admin: o => o.Endpoints.TokenPermitLimit = 100, kestrel: true);
        var token = await host.BootstrapAsync();
        var before = host.Hasher.Verifications;

        var statuses = await SendAllAsync(Enumerable.Range(0, 16).Select(i => ChangeAsync(host, token, $"wrong current {i}")));

        Assert.Equal(Threshold, host.Hasher.Verifications - before);
        Assert.Equal(Threshold, statuses.Count(s => s == HttpStatusCode.BadRequest));
        Assert.Equal(16 - Threshold, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    private static async Task<HttpStatusCode[]> SendAllAsync(IEnumerable<Task<HttpResponseMessage>> requests)
    {
        var responses = await Task.WhenAll(requests);
        var statuses = responses.Select(r => r.StatusCode).ToArray();
        foreach (var response in responses)
        {
            response.Dispose();
        }

        return statuses;
    }

    private static Task<HttpResponseMessage> ChangeAsync(AdminTestHost host, string token, string current) =>
        host.SendAsync(HttpMethod.Post, "/admin/users/me/password", token,
            AdminTestHost.Json(JsonSerializer.Serialize(new { current_password = current, new_password = "a brand new passphrase 42" })));
}
