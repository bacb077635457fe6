namespace LinkFunctions.Linking;

/// <summary>Who was erased: the one ID the caller named; the other is null.</summary>
public sealed record ErasedUser(string? ServiceUserId, string? LineUserId, DateTimeOffset ErasedAt);

/// <summary>
/// Told after an erasure completed (and again after a repeated one, since erasure cannot tell them apart): the seam
/// where a link-change notifier records its <c>user.erased</c> event. Whatever it stores must not keep the erased IDs
/// longer than it takes to deliver the notice.
/// </summary>
public interface IErasureListener
{
    Task UserErasedAsync(ErasedUser erased, CancellationToken cancellationToken);
}
