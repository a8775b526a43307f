using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace P2P.ApiKeys.Cli.Output;

/// <summary>
/// Where a command's results go: text for people, or with <c>--json</c> one JSON document on standard output.
/// Errors go to standard error on one line: the API's problem details (as JSON with <c>--json</c>) or the CLI's
/// own message.
/// </summary>
internal sealed class CliOutput(CliContext context, bool json)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    /// <summary>Compact JSON that leaves <c>+</c>, quotes and non-ASCII text readable (a terminal is not an HTML page).</summary>
    public static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public bool Json { get; } = json;

    /// <summary>A result: the JSON document with <c>--json</c>, else the text that <paramref name="text"/> writes.</summary>
    public void Result(JsonNode? document, Action<TextWriter> text)
    {
        if (Json)
        {
            context.Out.WriteLine(document?.ToJsonString(Indented) ?? "null");
        }
        else
        {
            text(context.Out);
        }
    }

    /// <summary>A remark for people (on standard error, so that standard output stays the result); none with <c>--json</c>.</summary>
    public void Note(string text)
    {
        if (!Json)
        {
            context.Error.WriteLine(text);
        }
    }

    public void Failure(CliException failure)
    {
        if (Json)
        {
            var problem = failure.Problem?.DeepClone().AsObject() ?? new JsonObject { ["title"] = failure.Message };
            problem["exit_code"] = failure.ExitCode;
            context.Error.WriteLine(problem.ToJsonString(Relaxed));
        }
        else
        {
            context.Error.WriteLine($"p2p-keys: {failure.Message}");
        }
    }
}
