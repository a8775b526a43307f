using System.Globalization;
using System.Text;
using System.Text.Json;

namespace P2P.ApiKeys.Scaling;

/// <summary>Medians over rounds; ratios per round (same round, same thread count), then their median.</summary>
internal sealed class Summary(IReadOnlyList<Sample> samples)
{
    public int[] Threads { get; } = [.. samples.Select(s => s.Threads).Distinct().Order()];

    public double PerSecond(string contender, int threads) =>
        Median(samples.Where(s => s.Contender == contender && s.Threads == threads).Select(s => s.PerSecond));

    /// <summary>Median over rounds of (a ÷ b) within each round.</summary>
    public double Ratio(string a, string b, int threads) => Median(
        from x in samples
        where x.Contender == a && x.Threads == threads
        join y in samples.Where(s => s.Contender == b && s.Threads == threads) on (x.Label, x.Round, x.Run) equals (y.Label, y.Round, y.Run)
        select x.PerSecond / y.PerSecond);

    /// <summary>Median auth/s at <paramref name="threads"/> ÷ median auth/s at the fewest threads measured.</summary>
    public double SpeedUp(string contender, int threads) => PerSecond(contender, threads) / PerSecond(contender, Threads[0]);

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

internal static class Report
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Print(ScalingResult result, TextWriter writer)
    {
        writer.WriteLine();
        writer.WriteLine(Markdown(result));
    }

    public static string Markdown(ScalingResult result)
    {
        var m = result.Machine;
        var s = result.Settings;
        var summary = new Summary(result.Samples);
        var text = new StringBuilder();
        text.Append(Inv, $"Scaling '{s.Label}', {result.Started:yyyy-MM-dd HH:mm} UTC: {m.ProcessorCount} logical CPUs ({m.Cpu}), {m.Os}, {m.Runtime}, {(m.ServerGc ? "server" : "workstation")} GC; ")
            .Append(Inv, $"{s.Seconds} s per contender, {s.Rounds} round(s), medians over rounds; ratios per round, then median; speed-up vs T={summary.Threads[0]}.").AppendLine().AppendLine();
        text.AppendLine("| threads | ours auth/s | floor auth/s | JwtBearer auth/s | ours ÷ floor | ours ÷ JwtBearer | ours speed-up | floor speed-up | JwtBearer speed-up |");
        text.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var t in summary.Threads)
        {
            text.Append(Inv, $"| {t} | {summary.PerSecond(Contender.Ours, t):N0} | {summary.PerSecond(Contender.Floor, t):N0} | {summary.PerSecond(Contender.Jwt, t):N0} | ")
                .Append(Inv, $"{summary.Ratio(Contender.Ours, Contender.Floor, t):F2} | {summary.Ratio(Contender.Ours, Contender.Jwt, t):F2} | ")
                .Append(Inv, $"{summary.SpeedUp(Contender.Ours, t):F2} | {summary.SpeedUp(Contender.Floor, t):F2} | {summary.SpeedUp(Contender.Jwt, t):F2} |").AppendLine();
        }

        if (result.Failures > 0)
        {
            text.AppendLine().Append(Inv, $"**{result.Failures} requests were refused: the figures are not valid.**").AppendLine();
        }

        return text.ToString();
    }
}

/// <summary>The machine-readable result: settings, machine, every sample.</summary>
internal static class ResultFile
{
    public static void Write(ScalingResult result, string path)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("label", result.Settings.Label);
        json.WriteString("started", result.Started);
        json.WriteNumber("secondsPerContender", result.Settings.Seconds);
        json.WriteNumber("rounds", result.Settings.Rounds);
        json.WriteStartObject("machine");
        json.WriteNumber("processorCount", result.Machine.ProcessorCount);
        json.WriteString("cpu", result.Machine.Cpu);
        json.WriteString("os", result.Machine.Os);
        json.WriteString("runtime", result.Machine.Runtime);
        json.WriteString("architecture", result.Machine.Architecture);
        json.WriteBoolean("serverGc", result.Machine.ServerGc);
        json.WriteEndObject();
        json.WriteStartArray("samples");
        foreach (var sample in result.Samples)
        {
            json.WriteStartObject();
            json.WriteNumber("round", sample.Round);
            json.WriteNumber("threads", sample.Threads);
            json.WriteString("contender", sample.Contender);
            json.WriteNumber("requests", sample.Requests);
            json.WriteNumber("failures", sample.Failures);
            json.WriteNumber("seconds", sample.Seconds);
            json.WriteNumber("perSecond", Math.Round(sample.PerSecond, 1));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("summary");
        var summary = new Summary(result.Samples);
        foreach (var t in summary.Threads)
        {
            json.WriteStartObject();
            json.WriteNumber("threads", t);
            foreach (var c in new[] { Contender.Ours, Contender.Floor, Contender.Jwt })
            {
                json.WriteNumber(c + "PerSecond", Math.Round(summary.PerSecond(c, t), 1));
                json.WriteNumber(c + "SpeedUp", Math.Round(summary.SpeedUp(c, t), 3));
            }

            json.WriteNumber("oursOverFloor", Math.Round(summary.Ratio(Contender.Ours, Contender.Floor, t), 3));
            json.WriteNumber("oursOverJwt", Math.Round(summary.Ratio(Contender.Ours, Contender.Jwt, t), 3));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The samples of a file written by <see cref="Write"/>, tagged with <paramref name="label"/> and <paramref name="run"/>.</summary>
    public static (List<Sample> Samples, string Machine) Read(string path, string label, int run)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        var machine = root.GetProperty("machine");
        var samples = new List<Sample>();
        foreach (var s in root.GetProperty("samples").EnumerateArray())
        {
            samples.Add(new Sample(label, s.GetProperty("round").GetInt32(), s.GetProperty("threads").GetInt32(), s.GetProperty("contender").GetString()!,
                s.GetProperty("requests").GetInt64(), s.GetProperty("failures").GetInt64(), s.GetProperty("seconds").GetDouble()) { Run = run });
        }

        return (samples, string.Create(Inv, $"{machine.GetProperty("processorCount").GetInt32()} logical CPUs ({machine.GetProperty("cpu").GetString()}), {machine.GetProperty("os").GetString()}, {machine.GetProperty("runtime").GetString()}"));
    }

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
}

/// <summary>
/// <c>compare --before FILES --after FILES [--md FILE]</c>: pools the samples of each side (every file a run,
/// every round of a run a round), then prints one table of before and after.
/// </summary>
internal static class Compare
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        var before = new List<string>();
        var after = new List<string>();
        string? md = null;
        List<string>? current = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--before":
                    current = before;
                    break;
                case "--after":
                    current = after;
                    break;
                case "--md":
                    md = i + 1 < args.Length ? args[++i] : throw new ArgumentException("--md needs a file.");
                    current = null;
                    break;
                default:
                    (current ?? throw new ArgumentException("Usage: compare --before FILE... --after FILE... [--md FILE]")).Add(args[i]);
                    break;
            }
        }

        if (before.Count == 0 || after.Count == 0)
        {
            throw new ArgumentException("Usage: compare --before FILE... --after FILE... [--md FILE]");
        }

        var samples = new List<Sample>();
        string? machine = null;
        var run = 0;
        foreach (var (label, files) in new[] { ("before", before), ("after", after) })
        {
            foreach (var file in files)
            {
                var read = ResultFile.Read(file, label, ++run);
                samples.AddRange(read.Samples);
                machine ??= read.Machine;
            }
        }

        var b = new Summary([.. samples.Where(s => s.Label == "before")]);
        var a = new Summary([.. samples.Where(s => s.Label == "after")]);
        var text = new StringBuilder();
        text.Append(Inv, $"Before/after on {machine}: {before.Count} before run(s) and {after.Count} after run(s), medians over all their rounds; ratios per round, then median.").AppendLine().AppendLine();
        text.AppendLine("| threads | ours before auth/s | ours after auth/s | after ÷ before | ours ÷ floor before | ours ÷ floor after | ours ÷ JwtBearer before | ours ÷ JwtBearer after | ours speed-up before | ours speed-up after | floor speed-up | JwtBearer speed-up |");
        text.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var t in a.Threads.Intersect(b.Threads))
        {
            var floorSpeedUp = Summary.Median([b.SpeedUp(Contender.Floor, t), a.SpeedUp(Contender.Floor, t)]);
            var jwtSpeedUp = Summary.Median([b.SpeedUp(Contender.Jwt, t), a.SpeedUp(Contender.Jwt, t)]);
            text.Append(Inv, $"| {t} | {b.PerSecond(Contender.Ours, t):N0} | {a.PerSecond(Contender.Ours, t):N0} | {a.PerSecond(Contender.Ours, t) / b.PerSecond(Contender.Ours, t):F2} | ")
                .Append(Inv, $"{b.Ratio(Contender.Ours, Contender.Floor, t):F2} | {a.Ratio(Contender.Ours, Contender.Floor, t):F2} | ")
                .Append(Inv, $"{b.Ratio(Contender.Ours, Contender.Jwt, t):F2} | {a.Ratio(Contender.Ours, Contender.Jwt, t):F2} | ")
                .Append(Inv, $"{b.SpeedUp(Contender.Ours, t):F2} | {a.SpeedUp(Contender.Ours, t):F2} | {floorSpeedUp:F2} | {jwtSpeedUp:F2} |").AppendLine();
        }

        var failures = samples.Sum(s => s.Failures);
        if (failures > 0)
        {
            text.AppendLine().Append(Inv, $"**{failures} requests were refused: the figures are not valid.**").AppendLine();
        }

        Console.WriteLine(text);
        if (md is not null)
        {
            File.WriteAllText(md, text.ToString());
        }

        return failures == 0 ? 0 : 1;
    }
}
