using System.Globalization;
using P2P.ApiKeys.Scaling;

// Scaling benchmark: auth/s of our handler, the hand-rolled floor handler and JwtBearer at T threads.
//   P2P.ApiKeys.Scaling [--threads 1,2,4,8,16] [--seconds 3] [--rounds 2] [--warmup 1] [--label NAME]
//                       [--json results.json] [--md results.md]
//   P2P.ApiKeys.Scaling alloc      (bytes allocated per request, one thread)
//   P2P.ApiKeys.Scaling compare --before b1.json [b2.json ...] --after a1.json [a2.json ...] [--md summary.md]
// See docs/benchmarks.md, "Scaling benchmark".
try
{
    if (args.Length > 0 && args[0] == "compare")
    {
        return Compare.Run(args[1..]);
    }

    if (args.Length > 0 && args[0] == "alloc")
    {
        return await Allocations.RunAsync().ConfigureAwait(false);
    }

    var settings = ScalingSettings.Parse(args);
    var result = await ScalingRun.RunAsync(settings).ConfigureAwait(false);
    Report.Print(result, Console.Out);
    if (settings.JsonPath is { } json)
    {
        ResultFile.Write(result, json);
    }

    if (settings.MarkdownPath is { } md)
    {
        File.WriteAllText(md, Report.Markdown(result));
    }

    return result.Failures == 0 ? 0 : 1;
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

namespace P2P.ApiKeys.Scaling
{
    internal sealed record ScalingSettings(int[] Threads, double Seconds, int Rounds, double Warmup, string Label, string? JsonPath, string? MarkdownPath)
    {
        public static ScalingSettings Parse(string[] args)
        {
            int[] threads = [1, 2, 4, 8, 16];
            double seconds = 3, warmup = 1;
            var rounds = 2;
            var label = "run";
            string? json = null, md = null;
            for (var i = 0; i < args.Length; i++)
            {
                var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
                switch (args[i++])
                {
                    case "--threads":
                        threads = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => int.Parse(t, CultureInfo.InvariantCulture))];
                        break;
                    case "--seconds":
                        seconds = double.Parse(value, CultureInfo.InvariantCulture);
                        break;
                    case "--rounds":
                        rounds = int.Parse(value, CultureInfo.InvariantCulture);
                        break;
                    case "--warmup":
                        warmup = double.Parse(value, CultureInfo.InvariantCulture);
                        break;
                    case "--label":
                        label = value;
                        break;
                    case "--json":
                        json = value;
                        break;
                    case "--md":
                        md = value;
                        break;
                    default:
                        throw new ArgumentException($"Unknown option {args[i - 1]}. Options: --threads 1,2,4 --seconds 3 --rounds 2 --warmup 1 --label NAME --json FILE --md FILE");
                }
            }

            if (threads.Length == 0 || threads.Any(t => t < 1) || seconds <= 0 || rounds < 1 || warmup < 0)
            {
                throw new ArgumentException("Threads must be at least 1, seconds above 0, rounds at least 1, warm-up 0 or more.");
            }

            return new ScalingSettings([.. threads.Distinct().Order()], seconds, rounds, warmup, label, json, md);
        }
    }
}
