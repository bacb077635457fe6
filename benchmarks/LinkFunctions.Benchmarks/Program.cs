using BenchmarkDotNet.Running;

namespace LinkFunctions.Benchmarks;

public static class Program
{
    // benchmarks/run.sh passes the filter, job and artifacts path; `--repeat` is benchmarks/instructions.sh's mode.
    // See docs/performance.md.
    public static void Main(string[] args)
    {
        if (args is ["--repeat", var variant, var events, var times])
        {
            InstructionCounts.Repeat(variant, int.Parse(events), int.Parse(times));
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
