using System.Globalization;
using BenchmarkDotNet.Running;
using P2P.ApiKeys.Benchmarks;

// dotnet run -c Release --project benchmarks/P2P.ApiKeys.Benchmarks -- --filter '*' --job short
// dotnet run -c Release --project benchmarks/P2P.ApiKeys.Benchmarks -- cache-memory 100000
if (args.Length > 0 && args[0] == "cache-memory")
{
    var keys = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
    return await CacheMemoryCheck.RunAsync(keys).ConfigureAwait(false);
}

BenchmarkSwitcher.FromAssembly(typeof(KeyFormatBenchmarks).Assembly).Run(args);
return 0;
