using System.Diagnostics;
using System.Runtime;
using System.Runtime.InteropServices;

namespace P2P.ApiKeys.Scaling;

/// <summary>One measurement: <see cref="Threads"/> threads authenticating for <see cref="Seconds"/>.</summary>
internal sealed record Sample(string Label, int Round, int Threads, string Contender, long Requests, long Failures, double Seconds)
{
    /// <summary>Which run (result file) the sample came from, when runs are pooled by compare.</summary>
    public int Run { get; init; }

    public double PerSecond => Requests / Seconds;
}

internal sealed record MachineInfo(int ProcessorCount, string Cpu, string Os, string Runtime, bool ServerGc, string Architecture)
{
    public static MachineInfo Current()
    {
        var cpu = "unknown";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return new MachineInfo(Environment.ProcessorCount, cpu, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, GCSettings.IsServerGC, RuntimeInformation.ProcessArchitecture.ToString());
    }
}

internal sealed record ScalingResult(ScalingSettings Settings, MachineInfo Machine, DateTimeOffset Started, IReadOnlyList<Sample> Samples)
{
    public long Failures => Samples.Sum(s => s.Failures);
}

internal static class ScalingRun
{
    public static async Task<ScalingResult> RunAsync(ScalingSettings settings)
    {
        var started = DateTimeOffset.UtcNow;
        var total = TimeSpan.FromSeconds((settings.Seconds * settings.Rounds * settings.Threads.Length * 3) + (settings.Warmup * 3 * 2));
        Console.WriteLine($"Scaling benchmark '{settings.Label}': threads {string.Join(',', settings.Threads)}, {settings.Seconds} s per contender, {settings.Rounds} round(s); about {total.TotalSeconds:F0} s.");
        Contender[] contenders =
        [
            await Contender.CreateOursAsync().ConfigureAwait(false),
            await Contender.CreateFloorAsync().ConfigureAwait(false),
            await Contender.CreateJwtAsync(total + TimeSpan.FromHours(1)).ConfigureAwait(false),
        ];
        try
        {
            // Warm-up: one thread (tiered JIT to its optimized code), then the most threads asked for.
            foreach (var contender in contenders)
            {
                if (settings.Warmup > 0)
                {
                    Measure(contender, 1, settings.Warmup, settings.Label, 0);
                    Measure(contender, settings.Threads[^1], settings.Warmup, settings.Label, 0);
                }
            }

            var samples = new List<Sample>();
            for (var round = 1; round <= settings.Rounds; round++)
            {
                for (var t = 0; t < settings.Threads.Length; t++)
                {
                    // Rotated each round and each thread count, so that no contender always runs first or last.
                    for (var c = 0; c < contenders.Length; c++)
                    {
                        var contender = contenders[(c + round - 1 + t) % contenders.Length];
                        GC.Collect();
                        GC.WaitForPendingFinalizers();
                        var sample = Measure(contender, settings.Threads[t], settings.Seconds, settings.Label, round);
                        samples.Add(sample);
                        Console.WriteLine($"  round {round} T={sample.Threads,-3} {sample.Contender,-10} {sample.PerSecond,12:N0} auth/s{(sample.Failures > 0 ? $"  {sample.Failures} FAILED" : "")}");
                    }
                }
            }

            return new ScalingResult(settings, MachineInfo.Current(), started, samples);
        }
        finally
        {
            foreach (var contender in contenders)
            {
                await contender.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// <paramref name="threads"/> dedicated threads, released together, each authenticating in a loop until
    /// the time is up; each counts in a local and publishes once at the end (no shared write while measuring).
    /// </summary>
    private static Sample Measure(Contender contender, int threads, double seconds, string label, int round)
    {
        var requests = new long[threads];
        var failures = new long[threads];
        using var ready = new CountdownEvent(threads);
        using var go = new ManualResetEventSlim();
        var stop = new StopFlag();
        var workers = new Thread[threads];
        for (var i = 0; i < threads; i++)
        {
            var index = i;
            workers[i] = new Thread(() =>
            {
                long done = 0, failed = 0;
                ready.Signal();
                go.Wait();
                while (!Volatile.Read(ref stop.Value))
                {
                    var pending = contender.AuthenticateOnceAsync();
                    var ok = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
                    done++;
                    if (!ok)
                    {
                        failed++;
                    }
                }

                requests[index] = done;
                failures[index] = failed;
            })
            { IsBackground = true, Name = $"scaling-{index}" };
            workers[i].Start();
        }

        ready.Wait();
        var clock = Stopwatch.StartNew();
        go.Set();
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        Volatile.Write(ref stop.Value, true);
        var elapsed = clock.Elapsed.TotalSeconds;
        foreach (var worker in workers)
        {
            worker.Join();
        }

        return new Sample(label, round, threads, contender.Name, requests.Sum(), failures.Sum(), elapsed);
    }

    private sealed class StopFlag
    {
        public bool Value;
    }
}
