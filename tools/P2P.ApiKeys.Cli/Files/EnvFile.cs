using System.Text;
using System.Text.RegularExpressions;

namespace P2P.ApiKeys.Cli.Files;

/// <summary>
/// <c>--write-env PATH</c>: sets <c>API_KEY="…"</c> in a <c>.env</c> file as the admin workflow's step 5 says,
/// replacing every earlier <c>API_KEY</c> line (also <c>export API_KEY=…</c>) and keeping every other line as it
/// was. The file is written owner-only (0600), created if missing.
/// </summary>
internal static partial class EnvFile
{
    public const string Variable = "API_KEY";

    public static async Task SetApiKeyAsync(string path, string key, CancellationToken cancellationToken)
    {
        // Keys are base62 and '_': nothing to escape inside the double quotes.
        var line = $"{Variable}=\"{key}\"";
        var existing = OwnerOnlyFile.ReadAllText(path);
        var output = new StringBuilder();
        var written = false;
        if (existing is not null)
        {
            foreach (var current in existing.ReplaceLineEndings("\n").Split('\n'))
            {
                if (ApiKeyLine().IsMatch(current))
                {
                    if (!written)
                    {
                        output.Append(line).Append('\n');
                        written = true;
                    }

                    continue; // a second API_KEY line would win in a shell: drop it
                }

                output.Append(current).Append('\n');
            }

            // Split leaves one empty entry after the final newline; keep the file's own ending.
            if (existing.Length == 0 || existing.EndsWith('\n'))
            {
                output.Length--;
            }
        }

        if (!written)
        {
            if (output.Length > 0 && output[^1] != '\n')
            {
                output.Append('\n');
            }

            output.Append(line).Append('\n');
        }

        await OwnerOnlyFile.WriteAllTextAsync(path, output.ToString(), cancellationToken).ConfigureAwait(false);
    }

    [GeneratedRegex(@"^\s*(export\s+)?API_KEY\s*=", RegexOptions.CultureInvariant)]
    private static partial Regex ApiKeyLine();
}
