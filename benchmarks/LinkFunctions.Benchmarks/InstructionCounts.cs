using System.Runtime.InteropServices;

namespace LinkFunctions.Benchmarks;

/// <summary>
/// Runs one webhook variant a given number of times outside BenchmarkDotNet, for callgrind (benchmarks/instructions.sh).
/// Instruction counts do not move with the machine's load, which the wall-clock benchmarks do by 20-40 % on this shared
/// machine. After a warm-up (every method JIT-compiled), the loop alone is instrumented, on every thread, through the
/// small marker library the script compiles from callgrind.h and names in CALLGRIND_MARKS.
/// </summary>
internal static class InstructionCounts
{
    private const int WarmUp = 50;

    public static void Repeat(string variant, int events, int times)
    {
        var bench = new WebhookHotPathBenchmarks { Events = events };
        bench.Setup();
        Func<object?> run = variant switch
        {
            "app" => () => bench.AppPath(),
            "hmac-reader" => () => bench.HotPath(),
            "floor" => () => bench.HmacJsonDocument(),
            "hmac" => () => bench.HmacOnly(),
            "reader" => () => bench.ReaderOnly(),
            _ => throw new ArgumentException($"Unknown variant {variant}: app, hmac-reader, floor, hmac or reader."),
        };

        for (var i = 0; i < WarmUp; i++)
        {
            run();
        }

        var marks = Environment.GetEnvironmentVariable("CALLGRIND_MARKS") is { Length: > 0 } path ? NativeLibrary.Load(path) : 0;
        Mark(marks, "cg_start");
        for (var i = 0; i < times; i++)
        {
            run();
        }

        Mark(marks, "cg_stop");
    }

    private static unsafe void Mark(nint library, string name)
    {
        if (library != 0)
        {
            ((delegate* unmanaged<void>)NativeLibrary.GetExport(library, name))();
        }
    }
}
