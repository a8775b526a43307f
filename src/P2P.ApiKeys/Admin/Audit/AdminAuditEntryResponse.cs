using System.Text.Json.Serialization;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Admin.Audit;

/// <summary>One audit-trail entry.</summary>
public sealed class AdminAuditEntryResponse
{
    /// <summary>The entry's id.</summary>
    [JsonPropertyName("id")]
    public Guid Id { get; init; }

    /// <summary>When the action happened.</summary>
    [JsonPropertyName("occurred_at")]
    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>What was done, for example <c>key.created</c>.</summary>
    [JsonPropertyName("action")]
    public string Action { get; init; } = "";

    /// <summary>Who did it: an admin's user name, or an admin key's id (see <c>actor_kind</c>); <see langword="null"/> when unknown.</summary>
    [JsonPropertyName("actor")]
    public string? Actor { get; init; }

    /// <summary>What kind of caller did it: <c>admin</c>, <c>admin_key</c>, <c>system</c> or <c>scanner</c>; <see langword="null"/> when unknown.</summary>
    [JsonPropertyName("actor_kind")]
    public string? ActorKind { get; init; }

    /// <summary>What it was done to, for example a key id; <see langword="null"/> if nothing.</summary>
    [JsonPropertyName("target")]
    public string? Target { get; init; }

    /// <summary>The client address of the request; <see langword="null"/> when unknown.</summary>
    [JsonPropertyName("client_address")]
    public string? ClientAddress { get; init; }

    /// <summary>The key the entry is about; <see langword="null"/> for an entry about no key (a login, an admin).</summary>
    [JsonPropertyName("key_id")]
    public Guid? KeyId { get; init; }

    /// <summary>The owner of that key, when it has one.</summary>
    [JsonPropertyName("owner")]
    public string? Owner { get; init; }

    internal static AdminAuditEntryResponse From(AdminAuditEntry e) => new()
    {
        Id = e.Id,
        OccurredAt = e.OccurredAt,
        Action = e.Action,
        Actor = e.Actor,
        ActorKind = e.ActorKind,
        Target = e.Target,
        ClientAddress = e.ClientAddress,
        KeyId = e.KeyId,
        Owner = e.Owner,
    };
}
