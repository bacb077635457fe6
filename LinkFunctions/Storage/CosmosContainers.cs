namespace LinkFunctions.Storage;

/// <summary>A container the app expects; Bicep declares the same ones, and a drift test keeps them equal.</summary>
/// <param name="DefaultTimeToLive">-1 turns item <c>ttl</c> on without a default; null leaves TTL off.</param>
/// <param name="UniqueKeyPath">A unique key, per logical partition; Cosmos fixes it when the container is created.</param>
public sealed record ContainerSpec(string Name, string PartitionKeyPath, int? DefaultTimeToLive, string? UniqueKeyPath = null);

public static class CosmosContainers
{
    /// <summary>Both halves of every link (<c>line:</c> and <c>user:</c>), served by point reads only.</summary>
    public static readonly ContainerSpec Links = new("links", "/id", null);

    /// <summary>Nonces, link tokens, login state and event markers: each carries <c>expiresAt</c> and a cleanup <c>ttl</c>.</summary>
    public static readonly ContainerSpec Transient = new("transient", "/id", -1);

    /// <summary>
    /// Append-only link history, partitioned by service user so history is a single-partition query; <c>/key</c> is
    /// unique per partition, so a retried entry is absorbed whatever time it carries.
    /// </summary>
    public static readonly ContainerSpec Audit = new("audit", "/partition", null, "/key");

    /// <summary>
    /// Link-change notifications waiting for (or kept after) delivery, partitioned by service user so that one user's
    /// queue, in order, is a single-partition query. Delivered and dead-lettered entries carry a cleanup <c>ttl</c>.
    /// </summary>
    public static readonly ContainerSpec Outbox = new("outbox", "/partition", -1);

    public static IReadOnlyList<ContainerSpec> All { get; } = [Links, Transient, Audit, Outbox];
}
