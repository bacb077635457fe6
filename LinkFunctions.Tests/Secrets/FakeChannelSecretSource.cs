using LinkFunctions.Secrets;

namespace LinkFunctions.Tests.Secrets;

/// <summary>
/// Hands out the secrets in order (the last one repeats) and counts the fetches. Set <see cref="Failure"/> to make
/// the vault fail, and <see cref="Gate"/> to make it answer only when the test says so.
/// </summary>
internal sealed class FakeChannelSecretSource(params string[] secrets) : IChannelSecretSource
{
    private int fetches;

    public string Name => "fake-channel-secret";

    public bool CanRefetch { get; init; } = true;

    public Exception? Failure { get; set; }

    public Task? Gate { get; set; }

    public int FetchCount => Volatile.Read(ref fetches);

    public async Task<string> FetchAsync(CancellationToken cancellationToken)
    {
        var index = Interlocked.Increment(ref fetches) - 1;
        if (Gate is { } gate)
        {
            await gate.WaitAsync(cancellationToken);
        }

        return Failure is { } failure ? throw failure : secrets[Math.Min(index, secrets.Length - 1)];
    }
}
