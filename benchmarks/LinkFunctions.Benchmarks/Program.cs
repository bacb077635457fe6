using BenchmarkDotNet.Running;

namespace LinkFunctions.Benchmarks;

public static class Program
{
    // benchmarks/run.sh passes the filter, job and artifacts path; see docs/performance.md.
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
