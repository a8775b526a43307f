using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.CsProj;
using P2P.ApiKeys.HotPath;

// benchmarks/run-hotpath.sh [before-commit]   (exports that commit's src and sets P2P_BEFORE_SRC)
// dotnet run -c Release --project benchmarks/P2P.ApiKeys.HotPath -- --filter '*'   (this checkout only)
// Built one after the other: both builds compile the same P2P.ApiKeys.HotPath project.
var config = DefaultConfig.Instance.WithOption(ConfigOptions.DisableParallelBuild, true).WithBuildTimeout(TimeSpan.FromMinutes(15));
var job = Job.ShortRun.WithToolchain(CsProjCoreToolchain.NetCoreApp10_0);
var before = Environment.GetEnvironmentVariable("P2P_BEFORE_SRC");
if (!string.IsNullOrEmpty(before))
{
    config = config
        .AddJob(job.WithArguments([new MsBuildArgument($"/p:ApiKeysSrc={before}"), new MsBuildArgument("/p:ApiKeysVariant=before")]).WithId("before").AsBaseline())
        .AddJob(job.WithArguments([new MsBuildArgument("/p:ApiKeysVariant=after")]).WithId("after"));
}

BenchmarkSwitcher.FromAssembly(typeof(HandlerBenchmarks).Assembly).Run(args, config);
return 0;
