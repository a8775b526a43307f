using System.Diagnostics;
using P2P.ApiKeys.Diagnostics;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Management;

/// <summary>The span of one <see cref="IApiKeyManager"/> change: key id and lookup id, the outcome, the exception type on a failure.</summary>
internal static class ApiKeyChangeActivity
{
    public static Activity? Start(string name, Guid keyId)
    {
        var activity = ApiKeyActivitySource.Instance.StartActivity(name);
        activity?.SetTag(ApiKeyActivitySource.KeyIdAttribute, keyId.ToString());
        return activity;
    }

    public static void Complete<T>(Activity? activity, ApiKeyResult<T> result, ApiKeyRecord? record)
        where T : class
    {
        if (activity is null)
        {
            return;
        }

        if (record is not null)
        {
            activity.SetTag(ApiKeyActivitySource.KeyIdAttribute, record.Id.ToString());
            activity.SetTag(ApiKeyActivitySource.LookupIdAttribute, record.LookupId);
        }

        // An expected refusal (invalid input, not found, a lost race) is an answer, not a failure of the span.
        activity.SetTag(ApiKeyActivitySource.OutcomeAttribute, result.Error switch
        {
            ApiKeyError.None => "success",
            ApiKeyError.Invalid => "invalid",
            ApiKeyError.NotFound => "not_found",
            ApiKeyError.Conflict => "conflict",
            _ => "other",
        });
    }

    /// <summary>Marks the span failed with the exception's type (never its message); returns <see langword="false"/> so that the exception is not caught.</summary>
    public static bool Fail(Activity? activity, Exception exception)
    {
        if (activity is not null)
        {
            ApiKeyActivitySource.SetFailure(activity, exception.GetType().FullName ?? exception.GetType().Name);
        }

        return false;
    }
}
