namespace P2P.ApiKeys.Scaling;

/// <summary>
/// Bytes allocated per request on one thread, authentication alone and with authorization, and the process's
/// CPU time per request (GC included): unlike auth/s, CPU time barely moves when other processes share the cores.
/// Every contender runs a full pass first, so that tiered compilation (background JIT threads count as CPU
/// time) is done before the measured pass.
/// </summary>
internal static class Allocations
{
    public static async Task<int> RunAsync()
    {
        const int Requests = 50_000;
        Contender[] contenders =
        [
            await Contender.CreateOursAsync().ConfigureAwait(false),
            await Contender.CreateFloorAsync().ConfigureAwait(false),
            await Contender.CreateJwtAsync(TimeSpan.FromHours(1)).ConfigureAwait(false),
        ];
        Console.WriteLine("| contender | bytes/request, authenticate | bytes/request, authenticate + authorize | CPU µs/request, authenticate + authorize |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var contender in contenders)
            {
                var perRequest = new double[2];
                var cpu = 0.0;
                for (var authorize = 0; authorize < 2; authorize++)
                {
                    var before = GC.GetAllocatedBytesForCurrentThread();
                    var cpuBefore = Environment.CpuUsage.TotalTime;
                    for (var i = 0; i < Requests; i++)
                    {
                        if (!contender.AuthenticateOnceAsync(authorize == 1).AsTask().GetAwaiter().GetResult())
                        {
                            throw new InvalidOperationException($"{contender.Name} refused its credential.");
                        }
                    }

                    perRequest[authorize] = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Requests;
                    cpu = (Environment.CpuUsage.TotalTime - cpuBefore).TotalMicroseconds / Requests;
                }

                if (pass == 1)
                {
                    Console.WriteLine($"| {contender.Name} | {perRequest[0]:F0} | {perRequest[1]:F0} | {cpu:F2} |");
                }
            }
        }

        foreach (var contender in contenders)
        {
            await contender.DisposeAsync().ConfigureAwait(false);
        }

        return 0;
    }
}
