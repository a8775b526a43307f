using System.Diagnostics;
using System.Globalization;

namespace P2P.ApiKeys.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release -- events-ab sqlite|postgres [rounds=300]</c>: the same question as
/// <see cref="ManagerEventCostBenchmarks"/> (what the outbox row costs create, rotate and revoke), answered by interleaving:
/// two managers (events on, events off; each on its own fresh database of the provider) called alternately, the order
/// swapped every round, so both see the same machine load, which on a busy shared machine moves more than the
/// difference being measured. Prints the median and quartiles of each and the ratio of the medians.
/// </summary>
internal static class EventCostAbCheck
{
    public static async Task<int> RunAsync(string provider, int rounds)
    {
        var on = new ManagerEventCostBenchmarks { Provider = provider, Events = true };
        var off = new ManagerEventCostBenchmarks { Provider = provider, Events = false };
        on.Setup();
        off.Setup();
        try
        {
            var samples = new Dictionary<(string Op, bool Events), List<double>>();
            for (var round = 0; round < rounds; round++)
            {
                foreach (var events in round % 2 == 0 ? new[] { true, false } : [false, true])
                {
                    var manager = (events ? on : off).Manager;
                    var t = Stopwatch.GetTimestamp();
                    var id = (await manager.CreateAsync(new() { Name = "ab", Owner = "bench", Scopes = ["p2p:read"] }).ConfigureAwait(false)).Value!.Record.Id;
                    Add(samples, "create", events, t);
                    t = Stopwatch.GetTimestamp();
                    var replacement = (await manager.RotateAsync(id, TimeSpan.FromMinutes(1)).ConfigureAwait(false)).Value!.Record.Id;
                    Add(samples, "rotate", events, t);
                    t = Stopwatch.GetTimestamp();
                    _ = (await manager.RevokeAsync(replacement).ConfigureAwait(false)).Value!;
                    Add(samples, "revoke", events, t);
                }
            }

            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine($"events-ab {provider}, {rounds} rounds (first 10% dropped as warm-up)");
            Console.WriteLine("| op | off p25 / p50 / p75 (ms) | on p25 / p50 / p75 (ms) | ratio of medians |");
            foreach (var op in new[] { "create", "rotate", "revoke" })
            {
                var a = Sorted(samples[(op, false)]);
                var b = Sorted(samples[(op, true)]);
                Console.WriteLine(string.Create(inv,
                    $"| {op} | {Q(a, 0.25):F2} / {Q(a, 0.5):F2} / {Q(a, 0.75):F2} | {Q(b, 0.25):F2} / {Q(b, 0.5):F2} / {Q(b, 0.75):F2} | {Q(b, 0.5) / Q(a, 0.5):F2} |"));
            }

            return 0;
        }
        finally
        {
            on.Cleanup();
            off.Cleanup();
        }
    }

    private static void Add(Dictionary<(string, bool), List<double>> samples, string op, bool events, long start)
    {
        if (!samples.TryGetValue((op, events), out var list))
        {
            samples[(op, events)] = list = [];
        }

        list.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    private static double[] Sorted(List<double> values) => [.. values.Skip(values.Count / 10).Order()];

    private static double Q(double[] sorted, double p) => sorted[Math.Clamp((int)(p * (sorted.Length - 1)), 0, sorted.Length - 1)];
}
