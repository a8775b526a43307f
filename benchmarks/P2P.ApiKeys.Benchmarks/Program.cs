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

// dotnet run -c Release --project benchmarks/P2P.ApiKeys.Benchmarks -- cache-miss sqlite|postgres [keys] [samples] [pooled]
if (args.Length > 1 && args[0] == "cache-miss")
{
    var keys = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000_000;
    var samples = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 20_000;
    var pooled = args.Length > 4 && args[4] == "pooled";
    return await CacheMissCheck.RunAsync(args[1], keys, samples, pooled).ConfigureAwait(false);
}

// dotnet run -c Release --project benchmarks/P2P.ApiKeys.Benchmarks -- redis-latency 127.0.0.1:6379 [samples]
if (args.Length > 1 && args[0] == "redis-latency")
{
    var samples = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20_000;
    return await RedisLatencyCheck.RunAsync(args[1], samples).ConfigureAwait(false);
}

// dotnet run -c Release --project benchmarks/P2P.ApiKeys.Benchmarks -- tracing-ab [rounds] [batch]
if (args.Length > 0 && args[0] == "usage-owner")
{
    int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
    return await UsageOwnerQueryCheck.RunAsync(Arg(1, 10_000), Arg(2, 100), Arg(3, 100), Arg(4, 500)).ConfigureAwait(false);
}

// P2P_POSTGRES=... dotnet run -c Release --project benchmarks/P2P.ApiKeys.Benchmarks -- events-ab sqlite|postgres [rounds]
if (args.Length > 1 && args[0] == "events-ab")
{
    var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 300;
    return await EventCostAbCheck.RunAsync(args[1], rounds).ConfigureAwait(false);
}

if (args.Length > 0 && args[0] == "tracing-ab")
{
    var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 41;
    var batch = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5_000;
    return await TracingAbCheck.RunAsync(rounds, batch).ConfigureAwait(false);
}

BenchmarkSwitcher.FromAssembly(typeof(KeyFormatBenchmarks).Assembly).Run(args);
return 0;
