using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace P2P.ApiKeys.EFCore.Configuration;

/// <summary>
/// Stores a key's metadata as one JSON object in a text column: the same column on every provider, and the map is
/// small and bounded (<see cref="P2P.ApiKeys.Stores.ApiKeyRecord.MaxMetadataEntries"/>), read whole with the key.
/// </summary>
internal sealed class MetadataConverter : ValueConverter<Dictionary<string, string>, string>
{
    public static readonly MetadataConverter Instance = new();

    /// <summary>Compares maps by content, so that changing one in place is detected.</summary>
    public static readonly ValueComparer<Dictionary<string, string>> Comparer = new(
        (left, right) => left == null ? right == null : right != null && left.Count == right.Count && left.All(p => right.ContainsKey(p.Key) && right[p.Key] == p.Value),
        map => map.OrderBy(p => p.Key, StringComparer.Ordinal).Aggregate(0, (hash, p) => HashCode.Combine(hash, StringComparer.Ordinal.GetHashCode(p.Key), StringComparer.Ordinal.GetHashCode(p.Value))),
        map => new Dictionary<string, string>(map, StringComparer.Ordinal));

    private MetadataConverter()
        : base(map => Serialize(map), text => Deserialize(text))
    {
    }

    public static string Serialize(Dictionary<string, string> map) => JsonSerializer.Serialize(map);

    public static Dictionary<string, string> Deserialize(string text) =>
        string.IsNullOrEmpty(text)
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(JsonSerializer.Deserialize<Dictionary<string, string>>(text) ?? [], StringComparer.Ordinal);
}
