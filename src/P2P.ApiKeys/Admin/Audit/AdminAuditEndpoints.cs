using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using P2P.ApiKeys.Management;
using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Admin.Audit;

/// <summary><c>/audit</c>: the audit trail of admin actions and key changes, newest first, filtered and paged by keyset.</summary>
internal static class AdminAuditEndpoints
{
    public static void Map(RouteGroupBuilder root) =>
        root.MapGet("/audit", ListAsync)
            .RequireAuthorization(AdminDefaults.PermissionPolicy(AdminPermissions.AuditRead))
            .WithTags(AdminDefaults.AuditTag)
            .WithSummary("Read the audit trail")
            .WithDescription("Admin actions (admin.created, admin.deleted, password.changed, login.succeeded, login.failed, " +
                "login.throttled) and key changes (key.created, key.updated, key.enabled, key.disabled, key.revoked, key.rotated, " +
                "key.leak_reported; written by the key manager with the change, whoever made it) with their actor (an admin, an API key " +
                "with admin permissions, the host's own code, a secret scanner), newest first. Filters: key_id, owner, actor, action, " +
                "from (inclusive) and to (exclusive), ISO 8601 times. Paging: page_size, then cursor=next_cursor of the previous page " +
                "(page=N still works without filters or cursor). An API key needs admin:audit:read.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

    private static async Task<Results<Ok<AdminAuditPageResponse>, ValidationProblem, ProblemHttpResult>> ListAsync(
        HttpContext context, [FromServices] IAdminAuditStore store, [FromServices] IOptions<ApiKeyOptions> options)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        AdminInput.TryReadPage(context.Request, out var page, out var pageSize, errors);
        pageSize = Paging.Check(page, pageSize, options.Value.MaxPageSize, errors);
        var query = ReadQuery(context.Request.Query, errors);
        var keyset = query.KeyId is not null || query.Owner is not null || query.Actor is not null || query.Action is not null
            || query.From is not null || query.To is not null || query.AfterId is not null;
        if (keyset && page != 1 && !errors.ContainsKey("page"))
        {
            errors["page"] = ["page cannot be combined with filters or cursor; follow next_cursor instead."];
        }

        if (errors.Count > 0)
        {
            return AdminResults.Invalid(errors);
        }

        var ct = context.RequestAborted;
        var items = new List<AdminAuditEntryResponse>(pageSize);
        string? next = null;
        long? total = null;
        if (keyset)
        {
            // One indexed query: one entry more than the page tells whether there is a next one.
            AdminAuditEntry? last = null;
            await foreach (var entry in store.QueryAsync(query, pageSize + 1, ct).ConfigureAwait(false))
            {
                if (items.Count == pageSize)
                {
                    next = Cursor(last!);
                    break;
                }

                items.Add(AdminAuditEntryResponse.From(entry));
                last = entry;
            }
        }
        else
        {
            AdminAuditEntry? last = null;
            await foreach (var entry in store.ListAsync(Paging.Skip(page, pageSize), pageSize, ct).ConfigureAwait(false))
            {
                items.Add(AdminAuditEntryResponse.From(entry));
                last = entry;
            }

            total = await store.CountAsync(ct).ConfigureAwait(false);
            if (last is not null && Paging.Skip(page, pageSize) + items.Count < total)
            {
                next = Cursor(last);
            }
        }

        return TypedResults.Ok(new AdminAuditPageResponse
        {
            Items = items,
            Page = page,
            PageSize = pageSize,
            Total = total,
            NextCursor = next,
        });
    }

    private static AdminAuditQuery ReadQuery(IQueryCollection query, Dictionary<string, string[]> errors)
    {
        Guid? keyId = null;
        if (query["key_id"] is { Count: > 0 } rawKey)
        {
            if (Guid.TryParse(rawKey.ToString(), out var parsed))
            {
                keyId = parsed;
            }
            else
            {
                errors["key_id"] = ["key_id must be a key's id (a GUID)."];
            }
        }

        var owner = ReadText(query, "owner", AdminAuditEntry.MaxTextLength, errors);
        var actor = ReadText(query, "actor", AdminAuditEntry.MaxTextLength, errors);
        var action = ReadText(query, "action", AdminAuditEntry.MaxActionLength, errors);
        var from = ReadTime(query, "from", errors);
        var to = ReadTime(query, "to", errors);
        if (from is not null && to is not null && from > to)
        {
            errors["to"] = ["to must not be before from."];
        }

        (DateTimeOffset At, Guid Id)? after = null;
        if (query["cursor"] is { Count: > 0 } rawCursor)
        {
            if (TryReadCursor(rawCursor.ToString(), out var position))
            {
                after = position;
            }
            else
            {
                errors["cursor"] = ["cursor must be a next_cursor from a previous page."];
            }
        }

        return new AdminAuditQuery
        {
            KeyId = keyId,
            Owner = owner,
            Actor = actor,
            Action = action,
            From = from,
            To = to,
            AfterOccurredAt = after?.At,
            AfterId = after?.Id,
        };
    }

    private static string? ReadText(IQueryCollection query, string name, int maxLength, Dictionary<string, string[]> errors)
    {
        if (query[name] is not { Count: > 0 } raw)
        {
            return null;
        }

        var value = raw.ToString();
        if (raw.Count > 1 || value.Length is 0 || value.Length > maxLength)
        {
            errors[name] = [$"{name} must be one value of 1 to {maxLength} characters."];
            return null;
        }

        return value;
    }

    private static DateTimeOffset? ReadTime(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        if (query[name] is not { Count: > 0 } raw)
        {
            return null;
        }

        if (raw.Count == 1 && DateTimeOffset.TryParse(raw.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value;
        }

        errors[name] = [$"{name} must be an ISO 8601 time, for example 2026-01-31T12:00:00Z."];
        return null;
    }

    /// <summary>The position after <paramref name="last"/>: its time (UTC ticks) and id, base64url; opaque to clients.</summary>
    private static string Cursor(AdminAuditEntry last) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{last.OccurredAt.UtcTicks}.{last.Id:N}")));

    private static bool TryReadCursor(string cursor, out (DateTimeOffset At, Guid Id) position)
    {
        position = default;
        if (cursor.Length is 0 or > 128 || !cursor.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[96];
        if (!Base64Url.TryDecodeFromChars(cursor, bytes, out var written))
        {
            return false;
        }

        var text = Encoding.ASCII.GetString(bytes[..written]);
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0
            || !long.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks
            || !Guid.TryParseExact(text.AsSpan(dot + 1), "N", out var id))
        {
            return false;
        }

        position = (new DateTimeOffset(ticks, TimeSpan.Zero), id);
        return true;
    }
}
