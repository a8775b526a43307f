namespace P2P.ApiKeys.Scaling;

/// <summary>Bytes allocated per request on one thread, authentication alone and with authorization.</summary>
internal static class Allocations
{
    public static async Task<int> RunAsync()
    {
        const int Requests = 20_000;
        Contender[] contenders =
        [
            await Contender.CreateOursAsync().ConfigureAwait(false),
            await Contender.CreateFloorAsync().ConfigureAwait(false),
            await Contender.CreateJwtAsync(TimeSpan.FromHours(1)).ConfigureAwait(false),
        ];
        Console.WriteLine("| contender | bytes/request, authenticate | bytes/request, authenticate + authorize |");
        Console.WriteLine("| --- | ---: | ---: |");
        foreach (var contender in contenders)
        {
            var perRequest = new double[2];
            for (var authorize = 0; authorize < 2; authorize++)
            {
                for (var i = 0; i < Requests; i++)
                {
                    await contender.AuthenticateOnceAsync(authorize == 1).ConfigureAwait(false); // warm-up
                }

                var before = GC.GetAllocatedBytesForCurrentThread();
                for (var i = 0; i < Requests; i++)
                {
                    if (!contender.AuthenticateOnceAsync(authorize == 1).AsTask().GetAwaiter().GetResult())
                    {
                        throw new InvalidOperationException($"{contender.Name} refused its credential.");
                    }
                }

                perRequest[authorize] = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Requests;
            }

            Console.WriteLine($"| {contender.Name} | {perRequest[0]:F0} | {perRequest[1]:F0} |");
            await contender.DisposeAsync().ConfigureAwait(false);
        }

        return 0;
    }
}
