using Microsoft.Extensions.Options;

namespace P2P.ApiKeys.Usage;

/// <summary>Refuses usage-history settings that cannot work, at start-up.</summary>
internal sealed class ApiKeyUsageHistoryOptionsValidator : IValidateOptions<ApiKeyUsageHistoryOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiKeyUsageHistoryOptions options)
    {
        var failures = new List<string>();
        if (options.FlushInterval <= TimeSpan.Zero || options.FlushInterval > TimeSpan.FromDays(45))
        {
            failures.Add("ApiKeyUsageHistoryOptions.FlushInterval must be positive and at most 45 days.");
        }

        if (options.HourRetention < TimeSpan.FromHours(2))
        {
            failures.Add("ApiKeyUsageHistoryOptions.HourRetention must be at least 2 hours.");
        }

        if (options.DayRetention < TimeSpan.FromDays(2))
        {
            failures.Add("ApiKeyUsageHistoryOptions.DayRetention must be at least 2 days.");
        }

        if (options.PruneBatchSize is < 1 or > 100_000)
        {
            failures.Add("ApiKeyUsageHistoryOptions.PruneBatchSize must be between 1 and 100,000.");
        }

        if (options.MaxHourlyRange < TimeSpan.FromHours(1))
        {
            failures.Add("ApiKeyUsageHistoryOptions.MaxHourlyRange must be at least an hour.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
