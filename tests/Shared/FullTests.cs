namespace P2P.Tests.Shared;

/// <summary>
/// <c>P2P_FULL_TESTS=1</c>: also run the slow suites that the default <c>dotnet test</c> skips (packing every package and
/// building consumer apps; the admin-endpoint suite a second time on EF Core over SQLite). <c>.ci/run</c> sets it, so CI
/// runs everything; the README says so next to the test command.
/// </summary>
internal static class FullTests
{
    public const string Variable = "P2P_FULL_TESTS";

    /// <summary>Whether the slow suites run (<c>P2P_FULL_TESTS</c> is <c>1</c> or <c>true</c>).</summary>
    public static bool Enabled => Environment.GetEnvironmentVariable(Variable) is "1" or "true" or "True";
}
