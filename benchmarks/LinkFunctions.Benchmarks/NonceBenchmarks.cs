using BenchmarkDotNet.Attributes;
using LinkFunctions.Linking;

namespace LinkFunctions.Benchmarks;

/// <summary>Nonce issuing and the identifier checks run on every accountLink and prompt; cheap, measured for the record.</summary>
[MemoryDiagnoser]
public class NonceBenchmarks
{
    private readonly string nonce = Nonce.Create();
    private readonly string lineUserId = "U4af4980629f4e5e0aa5e3c8f5b1b2c3d";
    private readonly string notALineUserId = "U4af4980629f4e5e0aa5e3c8f5b1b2c3X";

    [Benchmark(Description = "Nonce.Create")]
    public string Create() => Nonce.Create();

    [Benchmark(Description = "Identifiers.IsNonce")]
    public bool IsNonce() => Identifiers.IsNonce(nonce);

    [Benchmark(Description = "Identifiers.IsLineUserId")]
    public bool IsLineUserId() => Identifiers.IsLineUserId(lineUserId);

    [Benchmark(Description = "Identifiers.IsLineUserId (rejects)")]
    public bool IsLineUserIdRejects() => Identifiers.IsLineUserId(notALineUserId);
}
