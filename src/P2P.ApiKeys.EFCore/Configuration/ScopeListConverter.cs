using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.EFCore.Configuration;

/// <summary>
/// Stores scopes as one space-delimited string, the OAuth 2.0 <c>scope</c> shape (RFC 6749 §3.3: a scope
/// token never contains a space). Unlike a JSON or array column, it is the same bounded text column on
/// every provider.
/// </summary>
internal sealed class ScopeListConverter : ValueConverter<List<string>, string>
{
    /// <summary>Room for <see cref="ApiKeyRecord.MaxScopes"/> scopes of the longest length plus separators.</summary>
    public const int MaxColumnLength = ApiKeyRecord.MaxScopes * (ApiKeyRecord.MaxScopeLength + 1);

    public static readonly ScopeListConverter Instance = new();

    /// <summary>Compares scope lists by content, so that changing a list in place is detected.</summary>
    public static readonly ValueComparer<List<string>> Comparer = new(
        (left, right) => left == null ? right == null : right != null && left.SequenceEqual(right),
        list => list.Aggregate(0, (hash, scope) => HashCode.Combine(hash, StringComparer.Ordinal.GetHashCode(scope))),
        list => list.ToList());

    private ScopeListConverter()
        : base(scopes => Join(scopes), text => Split(text))
    {
    }

    /// <summary>Throws if a scope cannot be stored without changing on the way back.</summary>
    public static void EnsureStorable(List<string> scopes)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        foreach (var scope in scopes)
        {
            if (string.IsNullOrEmpty(scope) || scope.Any(char.IsWhiteSpace))
            {
                throw new ArgumentException("Scopes must be non-empty and contain no white space.", nameof(scopes));
            }
        }
    }

    private static string Join(List<string> scopes) => string.Join(' ', scopes);

    private static List<string> Split(string text) => [.. text.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
}
