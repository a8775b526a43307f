using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using P2P.ApiKeys.Cli.CommandLine;
using P2P.ApiKeys.Cli.Files;
using P2P.ApiKeys.Cli.Output;

namespace P2P.ApiKeys.Cli.Commands;

/// <summary>
/// <c>keys create|list|show|rotate|revoke</c> over <c>/admin/keys</c>. A new key (create, rotate) is printed only
/// when it is not written to a file with <c>--write-env</c>: then neither the screen, the CI log nor the JSON
/// output ever holds it.
/// </summary>
internal static class KeysCommands
{
    public static Command Create(CliCommandContext cli) => new("keys", "API keys: create, list, show, rotate, revoke, usage.")
    {
        CreateKey(cli),
        List(cli),
        Show(cli),
        Rotate(cli),
        Revoke(cli),
        Usage(cli),
    };

    private static Option<string> WriteEnvOption() => new("--write-env")
    {
        Description = "Write the new key as API_KEY=\"…\" into this .env file (created owner-only, 0600; other lines kept) instead of printing it.",
    };

    private static Argument<string> IdArgument() => new("id") { Description = "The key's id (a GUID, as keys list shows it)." };

    private static Command CreateKey(CliCommandContext cli)
    {
        var name = new Option<string>("--name") { Description = "The key's display name, e.g. \"Streamlit App Key\".", Required = true };
        var scopes = new Option<string[]>("--scope") { Description = "A scope of the key; repeat for several. Default: the API's default scopes." };
        var expires = new Option<string>("--expires") { Description = "When the key expires: a duration from now (90d, 12h) or an ISO 8601 date or time. Default: never." };
        var writeEnv = WriteEnvOption();
        var command = new Command("create", "Create an API key (the seed's step 4); it is shown once, or written with --write-env (step 5).") { name, scopes, expires, writeEnv };
        CliApplication.SetAction(command, cli, async (parseResult, output, cancellationToken) =>
        {
            var body = new JsonObject { ["name"] = parseResult.GetRequiredValue(name) };
            if (parseResult.GetValue(scopes) is { Length: > 0 } requested)
            {
                body["scopes"] = new JsonArray([.. requested.Select(s => (JsonNode?)s)]);
            }

            if (parseResult.GetValue(expires) is { } expiry)
            {
                body["expires_at"] = Durations.TryParseExpiry(expiry, cli.Context.TimeProvider.GetUtcNow(), out var expiresAt)
                    ? expiresAt
                    : throw new CliException(ExitCodes.Usage, $"--expires must be a duration such as 90d or 12h, or an ISO 8601 date such as 2027-01-31, not '{expiry}'.");
            }

            var envFile = CheckEnvFile(parseResult.GetValue(writeEnv));
            using var client = AdminSession.Open(parseResult, cli);
            var created = await client.PostJsonAsync("admin/keys/", body, cancellationToken).ConfigureAwait(false);
            await DeliverAsync(created, envFile, output, "Created", cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command List(CliCommandContext cli)
    {
        var page = new Option<int?>("--page") { Description = "The page, from 1." };
        var pageSize = new Option<int?>("--page-size") { Description = "Keys per page (the API caps it)." };
        var state = new Option<string>("--state") { Description = "Only keys in this state." };
        state.AcceptOnlyFromAmong("active", "revoked", "expired");
        var owner = new Option<string>("--owner") { Description = "Only the keys of this owner." };
        var command = new Command("list", "List keys, newest first: metadata only, never a key.") { page, pageSize, state, owner };
        CliApplication.SetAction(command, cli, async (parseResult, output, cancellationToken) =>
        {
            var query = new List<string>();
            void Add(string field, string? value)
            {
                if (value is not null)
                {
                    query.Add($"{field}={Uri.EscapeDataString(value)}");
                }
            }

            Add("page", parseResult.GetValue(page)?.ToString(CultureInfo.InvariantCulture));
            Add("page_size", parseResult.GetValue(pageSize)?.ToString(CultureInfo.InvariantCulture));
            Add("state", parseResult.GetValue(state));
            Add("owner", parseResult.GetValue(owner));

            using var client = AdminSession.Open(parseResult, cli);
            var answer = await client.GetAsync(query.Count == 0 ? "admin/keys/" : "admin/keys/?" + string.Join('&', query), cancellationToken).ConfigureAwait(false);
            var now = cli.Context.TimeProvider.GetUtcNow();
            output.Result(answer, o =>
            {
                var items = answer?["items"]?.AsArray() ?? [];
                var rows = items.Select(k => new[]
                {
                    Text(k?["id"]), Text(k?["lookup_id"]), Text(k?["name"]), Scopes(k), State(k, now), Text(k?["expires_at"]) is { Length: > 0 } e ? e : "never", Text(k?["last_used_at"]) is { Length: > 0 } u ? u : "never",
                }).ToList();
                TextTable.Write(o, ["ID", "LOOKUP ID", "NAME", "SCOPES", "STATE", "EXPIRES", "LAST USED"], rows);
                o.WriteLine($"Page {answer?["page"]}: {items.Count} of {answer?["total"]?.ToString() ?? "?"} keys.");
            });
        });
        return command;
    }

    private static Command Show(CliCommandContext cli)
    {
        var id = IdArgument();
        var command = new Command("show", "Show one key's metadata and usage of its limits: never the key.") { id };
        CliApplication.SetAction(command, cli, async (parseResult, output, cancellationToken) =>
        {
            var keyId = ParseId(parseResult.GetRequiredValue(id));
            using var client = AdminSession.Open(parseResult, cli);
            var key = await client.GetAsync($"admin/keys/{keyId}", cancellationToken).ConfigureAwait(false);
            var now = cli.Context.TimeProvider.GetUtcNow();
            output.Result(key, o =>
            {
                foreach (var (field, value) in key?.AsObject() ?? [])
                {
                    o.WriteLine($"{field,-14} {(value is JsonValue ? Text(value) : value?.ToJsonString(CliOutput.Relaxed) ?? "")}");
                }

                o.WriteLine($"{"state",-14} {State(key, now)}");
            });
        });
        return command;
    }

    private static Command Usage(CliCommandContext cli)
    {
        var id = new Argument<string?>("id") { Description = "The key's id (a GUID); omit it with --owner.", Arity = ArgumentArity.ZeroOrOne };
        var owner = new Option<string>("--owner") { Description = "All of this owner's keys instead of one key." };
        var from = new Option<string>("--from") { Description = "Start of the range, ISO 8601 (UTC without an offset). Default: 24 hours (hourly) or 30 days (daily) ago." };
        var to = new Option<string>("--to") { Description = "End of the range, ISO 8601. Default: now." };
        var granularity = new Option<string>("--granularity") { Description = "hour (default) or day." };
        granularity.AcceptOnlyFromAmong("hour", "day");
        var command = new Command("usage", "Requests per hour or day by outcome (allowed, rate_limited, quota_exhausted, forbidden, refused) and distinct clients, of one key or of an owner's keys.")
        {
            id, owner, from, to, granularity,
        };
        CliApplication.SetAction(command, cli, async (parseResult, output, cancellationToken) =>
        {
            var keyText = parseResult.GetValue(id);
            var ownerName = parseResult.GetValue(owner);
            if ((keyText is null) == (ownerName is null))
            {
                throw new CliException(ExitCodes.Usage, "Give either a key id or --owner, not both.");
            }

            var query = new List<string>();
            void Add(string field, string? value)
            {
                if (value is not null)
                {
                    query.Add($"{field}={Uri.EscapeDataString(value)}");
                }
            }

            Add("owner", ownerName);
            Add("from", parseResult.GetValue(from));
            Add("to", parseResult.GetValue(to));
            Add("granularity", parseResult.GetValue(granularity));
            var path = keyText is null ? "admin/usage/" : $"admin/keys/{ParseId(keyText)}/usage";
            using var client = AdminSession.Open(parseResult, cli);
            var answer = await client.GetAsync(query.Count == 0 ? path : path + "?" + string.Join('&', query), cancellationToken).ConfigureAwait(false);
            output.Result(answer, o =>
            {
                string[] Counts(JsonNode? b) =>
                    [Text(b?["allowed"]), Text(b?["rate_limited"]), Text(b?["quota_exhausted"]), Text(b?["forbidden"]), Text(b?["refused"]), Text(b?["clients"])];
                string[] header = ["START", "ALLOWED", "RATE LIMITED", "QUOTA EXHAUSTED", "FORBIDDEN", "REFUSED", "CLIENTS"];
                if (keyText is not null)
                {
                    TextTable.Write(o, header, [.. (answer?["buckets"]?.AsArray() ?? []).Select(b => (string[])[Text(b?["start"]), .. Counts(b)])]);
                }
                else
                {
                    TextTable.Write(o, ["KEY", .. header[1..]], [.. (answer?["keys"]?.AsArray() ?? []).Select(k => (string[])[Text(k?["key_id"]), .. Counts(k?["total"])])]);
                }

                o.WriteLine($"Total from {Text(answer?["from"])} to {Text(answer?["to"])}: {string.Join(", ", header[1..].Zip(Counts(answer?["total"]), (h, c) => $"{h.ToLowerInvariant()} {c}"))}.");
            });
        });
        return command;
    }

    private static Command Rotate(CliCommandContext cli)
    {
        var id = IdArgument();
        var grace = new Option<string>("--grace") { Description = "How long the old key keeps working: 0 (default: at once), 15m, 1h, 7d … (the API caps it)." };
        var writeEnv = WriteEnvOption();
        var command = new Command("rotate", "Replace a key: a new key (shown once, or written with --write-env); the old one works for the grace period.") { id, grace, writeEnv };
        CliApplication.SetAction(command, cli, async (parseResult, output, cancellationToken) =>
        {
            var keyId = ParseId(parseResult.GetRequiredValue(id));
            var gracePeriod = TimeSpan.Zero;
            if (parseResult.GetValue(grace) is { } text && !Durations.TryParse(text, out gracePeriod))
            {
                throw new CliException(ExitCodes.Usage, $"--grace must be a duration such as 0, 15m, 1h or 7d, not '{text}'.");
            }

            var envFile = CheckEnvFile(parseResult.GetValue(writeEnv));
            using var client = AdminSession.Open(parseResult, cli);
            var rotated = await client.PostJsonAsync($"admin/keys/{keyId}/rotate", new JsonObject { ["grace_period_seconds"] = (long)gracePeriod.TotalSeconds }, cancellationToken)
                .ConfigureAwait(false);
            await DeliverAsync(rotated, envFile, output, gracePeriod == TimeSpan.Zero ? $"Rotated {keyId} (revoked at once) into" : $"Rotated {keyId} (it works for {Durations.Format(gracePeriod)} more) into", cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Revoke(CliCommandContext cli)
    {
        var id = IdArgument();
        var command = new Command("revoke", "Revoke a key at once (kept for the audit trail).") { id };
        CliApplication.SetAction(command, cli, async (parseResult, output, cancellationToken) =>
        {
            var keyId = ParseId(parseResult.GetRequiredValue(id));
            using var client = AdminSession.Open(parseResult, cli);
            await client.DeleteAsync($"admin/keys/{keyId}", cancellationToken).ConfigureAwait(false);
            output.Result(new JsonObject { ["id"] = keyId.ToString(), ["revoked"] = true }, o => o.WriteLine($"Revoked {keyId}."));
        });
        return command;
    }

    /// <summary>
    /// Writes the new key to the <c>.env</c> file and leaves it out of every output, or prints it when there is no
    /// file: on standard output alone (so <c>KEY=$(p2p-keys keys create …)</c> works) or in the JSON result.
    /// </summary>
    private static async Task DeliverAsync(JsonNode? answer, string? envFile, CliOutput output, string verb, CancellationToken cancellationToken)
    {
        if (answer is not JsonObject created || created["key"]?.GetValue<string>() is not { Length: > 0 } key)
        {
            throw new CliException(ExitCodes.Unavailable, "The API's answer holds no key; is --url the P2P AdminApi?");
        }

        var summary = $"key {created["id"]} \"{created["name"]}\" (lookup id {created["lookup_id"]}, scopes {Scopes(created)})";
        if (envFile is not null)
        {
            try
            {
                await EnvFile.SetApiKeyAsync(envFile, key, cancellationToken).ConfigureAwait(false);
            }
            catch (CliException failure)
            {
                throw new CliException(failure.ExitCode,
                    $"{failure.Message} The key {created["id"]} exists but was not saved anywhere: revoke it with p2p-keys keys revoke {created["id"]}.");
            }

            created.Remove("key");
            created["env_file"] = envFile;
            output.Result(created, o => o.WriteLine($"{verb} {summary}; API_KEY written to {envFile}."));
            return;
        }

        output.Result(created, o => o.WriteLine(key));
        output.Note($"{verb} {summary}. This is the only time the key is shown: store it now.");
    }

    /// <summary>The full path of the <c>--write-env</c> file, checked before the key exists: a key that cannot be saved is a key lost.</summary>
    private static string? CheckEnvFile(string? path)
    {
        if (path is null)
        {
            return null;
        }

        var fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
        {
            throw new CliException(ExitCodes.Usage, $"--write-env names a folder, not a file: {fullPath}.");
        }

        if (!Directory.Exists(Path.GetDirectoryName(fullPath)))
        {
            throw new CliException(ExitCodes.Usage, $"--write-env: the folder of {fullPath} does not exist.");
        }

        return fullPath;
    }

    private static Guid ParseId(string text) =>
        Guid.TryParseExact(text, "D", out var id)
            ? id
            : throw new CliException(ExitCodes.Usage, $"'{text}' is not a key id: ids are GUIDs such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301 (see p2p-keys keys list).");

    private static string Text(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => value.ToJsonString(),
    };

    private static string Scopes(JsonNode? key) =>
        key?["scopes"] is JsonArray scopes && scopes.Count > 0 ? string.Join(' ', scopes.Select(Text)) : "none";

    private static string State(JsonNode? key, DateTimeOffset now)
    {
        static DateTimeOffset? At(JsonNode? value) => value is JsonValue v && v.TryGetValue<DateTimeOffset>(out var at) ? at : null;
        if (At(key?["revoked_at"]) is { } revokedAt)
        {
            return revokedAt <= now ? "revoked" : $"active until {revokedAt:u} (rotated)";
        }

        if (At(key?["expires_at"]) is { } expiresAt && expiresAt <= now)
        {
            return "expired";
        }

        return key?["enabled"] is JsonValue enabled && enabled.TryGetValue<bool>(out var on) && !on ? "disabled" : "active";
    }
}
