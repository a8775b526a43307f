using P2P.ApiKeys.RateLimiting;

namespace P2P.ApiKeys.Tests.Stores.Conformance;

/// <summary>
/// What every <see cref="IApiKeyOwnerLimitStore"/> must do: keep an owner's rate limit and quota exactly (algorithm,
/// burst, period and anchor included), replace them, remove them with <see langword="null"/> or empty limits, and keep
/// owners apart. Each test uses owners of its own, so a shared database needs no reset.
/// </summary>
public abstract class ApiKeyOwnerLimitStoreConformanceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Task<IApiKeyOwnerLimitStore> CreateStoreAsync();

    private static string NewOwner() => "owner-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Get_OwnerWithoutLimits_IsNull()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.GetAsync(NewOwner(), Ct));
    }

    [Fact]
    public async Task Set_ThenGet_RoundTripsEveryField()
    {
        var store = await CreateStoreAsync();
        var owner = NewOwner();
        var limits = new ApiKeyOwnerLimits(
            new ApiKeyRateLimit(120, TimeSpan.FromMinutes(1), ApiKeyRateLimitAlgorithm.Gcra, burst: 30),
            new ApiKeyQuota(100_000, ApiKeyQuotaPeriod.Month, anchorDay: 15));

        await store.SetAsync(owner, limits, Ct);
        var read = await store.GetAsync(owner, Ct);

        Assert.NotNull(read);
        Assert.Equal(limits.RateLimit, read.RateLimit);
        Assert.Equal(limits.Quota, read.Quota);
    }

    [Fact]
    public async Task Set_Twice_ReplacesAndKeepsOwnersApart()
    {
        var store = await CreateStoreAsync();
        var (acme, globex) = (NewOwner(), NewOwner());
        await store.SetAsync(acme, new ApiKeyOwnerLimits(new ApiKeyRateLimit(10, TimeSpan.FromSeconds(1)), null), Ct);
        await store.SetAsync(globex, new ApiKeyOwnerLimits(null, new ApiKeyQuota(5, ApiKeyQuotaPeriod.Day)), Ct);

        await store.SetAsync(acme, new ApiKeyOwnerLimits(null, new ApiKeyQuota(7, ApiKeyQuotaPeriod.Week)), Ct);

        var acmeLimits = await store.GetAsync(acme, Ct);
        Assert.NotNull(acmeLimits);
        Assert.Null(acmeLimits.RateLimit);
        Assert.Equal(new ApiKeyQuota(7, ApiKeyQuotaPeriod.Week), acmeLimits.Quota);
        Assert.Equal(new ApiKeyQuota(5, ApiKeyQuotaPeriod.Day), (await store.GetAsync(globex, Ct))?.Quota);
    }

    [Fact]
    public async Task Set_NullOrEmpty_RemovesTheLimits()
    {
        var store = await CreateStoreAsync();
        var (first, second) = (NewOwner(), NewOwner());
        var limits = new ApiKeyOwnerLimits(new ApiKeyRateLimit(10, TimeSpan.FromSeconds(1)), new ApiKeyQuota(5, ApiKeyQuotaPeriod.Day));
        await store.SetAsync(first, limits, Ct);
        await store.SetAsync(second, limits, Ct);

        await store.SetAsync(first, null, Ct);
        await store.SetAsync(second, new ApiKeyOwnerLimits(null, null), Ct);

        Assert.Null(await store.GetAsync(first, Ct));
        Assert.Null(await store.GetAsync(second, Ct));
    }

    [Fact]
    public async Task Set_ConcurrentWritersOfOneOwner_LeaveOneWholeValue()
    {
        var store = await CreateStoreAsync();
        var owner = NewOwner();
        var candidates = Enumerable.Range(1, 8)
            .Select(i => new ApiKeyOwnerLimits(new ApiKeyRateLimit(i, TimeSpan.FromSeconds(i)), new ApiKeyQuota(i * 10, ApiKeyQuotaPeriod.Day)))
            .ToArray();

        await Task.WhenAll(candidates.Select(c => Task.Run(async () => await store.SetAsync(owner, c, Ct), Ct)));

        var read = await store.GetAsync(owner, Ct);
        Assert.NotNull(read);
        Assert.Contains(candidates, c => Equals(c.RateLimit, read.RateLimit) && Equals(c.Quota, read.Quota));
    }
}
