using LinkFunctions.Secrets;

namespace LinkFunctions.Tests.Secrets;

/// <summary>Hands out the secrets in order (the last one repeats) and counts the fetches.</summary>
internal sealed class FakeChannelSecretSource(params string[] secrets) : IChannelSecretSource
{
    private int fetches;

    public bool CanRefetch { get; init; } = true;

    public int FetchCount => Volatile.Read(ref fetches);

    public Task<string> FetchAsync(CancellationToken cancellationToken)
    {
        var index = Interlocked.Increment(ref fetches) - 1;
        return Task.FromResult(secrets[Math.Min(index, secrets.Length - 1)]);
    }
}
