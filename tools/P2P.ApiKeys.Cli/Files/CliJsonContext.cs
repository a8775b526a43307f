using System.Text.Json.Serialization;

namespace P2P.ApiKeys.Cli.Files;

/// <summary>Source-generated JSON for the credentials file (trim-safe, no reflection).</summary>
[JsonSerializable(typeof(StoredCredentials))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class CliJsonContext : JsonSerializerContext;
