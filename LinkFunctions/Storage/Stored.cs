namespace LinkFunctions.Storage;

/// <summary>A document with the ETag it was read or written with, for the next conditional write.</summary>
public sealed record Stored<T>(T Document, string ETag);

public enum WriteOutcome
{
    Ok,

    /// <summary>409: create-only and the id exists.</summary>
    Conflict,

    /// <summary>412: the ETag is stale.</summary>
    PreconditionFailed,

    NotFound,
}

/// <summary>Cosmos answered something other than success or a protocol outcome; the caller must not assume the write.</summary>
public sealed class StorageException(string operation, int status, Exception? inner = null)
    : Exception($"Cosmos {operation} failed with {status}.", inner)
{
    public int Status { get; } = status;
}
