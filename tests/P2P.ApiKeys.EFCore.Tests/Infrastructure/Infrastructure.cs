namespace P2P.ApiKeys.EFCore.Tests.Infrastructure;

/// <summary>Whether tests that need outside infrastructure (PostgreSQL) may skip when it is missing.</summary>
internal static class Infrastructure
{
    public static string? PostgresConnectionString => Environment.GetEnvironmentVariable("P2P_POSTGRES") is { Length: > 0 } value ? value : null;

    /// <summary>CI sets <c>P2P_REQUIRE_INFRA=1</c>: there a missing database is a failure, not a skip.</summary>
    public static bool Required => Environment.GetEnvironmentVariable("P2P_REQUIRE_INFRA") == "1";

    public static void SkipOrFail(string reason)
    {
        if (Required)
        {
            Assert.Fail($"{reason} (P2P_REQUIRE_INFRA=1, so this is a failure rather than a skip)");
        }

        Assert.Skip(reason);
    }
}
