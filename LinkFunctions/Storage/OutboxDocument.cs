using System.Text.Json;
using System.Text.Json.Serialization;

namespace LinkFunctions.Storage;

public static class OutboxStates
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string DeadLetter = "deadletter";
}

/// <summary>
/// One link-change notification in the <c>outbox</c> container. Its id is the event id the receiver dedupes on,
/// derived from the change (type plus linkId), so that a retry of the change re-creates the same entry (create-only:
/// 409 means it is already there). <see cref="Seq"/> orders one user's entries; the id cannot, being deterministic.
/// </summary>
public sealed record OutboxDocument
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary><c>{pk}:{serviceUserId}</c>: one user's queue is one partition.</summary>
    public required string Partition { get; init; }

    /// <summary>Recording time in Unix microseconds, strictly increasing per instance: delivery order within the partition.</summary>
    public required long Seq { get; init; }

    public required string Type { get; init; }
    public required string ServiceUserId { get; init; }
    public string? LineUserId { get; init; }
    public required string Method { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>The link the change is about, for the commit check; never sent.</summary>
    public string? LinkId { get; init; }

    /// <summary>
    /// False while the change it announces may still be under way: a link or unlink records its entry before its
    /// commit, and the drainer sends it only once the links show the commit (see <c>OutboxCommitCheck</c>).
    /// </summary>
    public required bool Committed { get; init; }

    public required string Status { get; init; }
    public int Attempts { get; init; }
    public required DateTimeOffset NextAttemptAt { get; init; }

    /// <summary>A drainer holds the entry until then (it claimed it with If-Match); others leave the user alone.</summary>
    public DateTimeOffset? ClaimedUntil { get; init; }

    /// <summary>The receiver's last HTTP status, 0 for no answer.</summary>
    public int? LastStatus { get; init; }

    /// <summary>Cleanup only, set once delivered or dead-lettered; a pending entry lives until it is.</summary>
    [JsonPropertyName("ttl")]
    public int? Ttl { get; init; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OutboxDocument))]
public sealed partial class OutboxJsonContext : JsonSerializerContext;
