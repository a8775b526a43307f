using System.Buffers;
using System.Text;
using System.Text.Json;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Management;

/// <summary>
/// Writes an event's <c>data</c>: the key's public record (id, lineage, lookup id, name, owner, scopes, expiry, metadata,
/// enabled, revocation) and the actor. Never the key, its secret or its hash.
/// </summary>
internal static class ApiKeyEventPayload
{
    public static string Write(ApiKeyRecord key, AuditActor actor, Guid? replacedBy = null, TimeSpan? leadTime = null)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", key.Id);
            json.WriteString("lineage_id", key.LineageId);
            json.WriteString("lookup_id", key.LookupId);
            json.WriteString("name", key.Name);
            WriteNullable(json, "owner", key.Owner);
            json.WriteStartArray("scopes");
            foreach (var scope in key.Scopes)
            {
                json.WriteStringValue(scope);
            }

            json.WriteEndArray();
            if (key.ExpiresAt is { } expires)
            {
                json.WriteString("expires_at", expires);
            }
            else
            {
                json.WriteNull("expires_at");
            }

            json.WriteStartObject("metadata");
            foreach (var (name, value) in key.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
            json.WriteBoolean("enabled", key.Enabled);
            if (key.RevokedAt is { } revoked)
            {
                json.WriteString("revoked_at", revoked);
            }
            else
            {
                json.WriteNull("revoked_at");
            }

            if (replacedBy is { } replacement)
            {
                json.WriteString("replaced_by", replacement);
            }

            if (leadTime is { } lead)
            {
                json.WriteNumber("lead_time_seconds", (long)lead.TotalSeconds);
            }

            json.WriteStartObject("actor");
            json.WriteString("kind", actor.KindName);
            WriteNullable(json, "name", actor.Name);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
