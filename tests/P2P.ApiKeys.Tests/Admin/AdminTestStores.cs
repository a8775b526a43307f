namespace P2P.ApiKeys.Tests.Admin;

/// <summary>
/// The stores behind <see cref="AdminTestHost"/>: in-memory here. tests/P2P.ApiKeys.EFCore.Tests links the
/// admin suite with its own version of this class, so the same tests run on EF Core over SQLite.
/// </summary>
internal static class AdminTestStores
{
    public static void Add(ApiKeyAuthBuilder builder) => builder.AddInMemoryStores();

    public static Task InitializeAsync(IServiceProvider services) => Task.CompletedTask;
}
