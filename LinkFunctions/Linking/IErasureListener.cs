namespace LinkFunctions.Linking;

/// <summary>Who was erased: the one ID the caller named (the other is null), and the service users whose links went with it.</summary>
/// <param name="AffectedServiceUsers">For a LINE user's erasure, the service users it was linked to (their link is gone);
/// for a service user's, that user.</param>
public sealed record ErasedUser(string? ServiceUserId, string? LineUserId, DateTimeOffset ErasedAt, IReadOnlyCollection<string> AffectedServiceUsers);

/// <summary>
/// Told after an erasure completed (and again after a repeated one, since erasure cannot tell them apart): the seam
/// where a link-change notifier records its <c>user.erased</c> event. Whatever it stores must not keep the erased IDs
/// longer than it takes to deliver the notice.
/// </summary>
public interface IErasureListener
{
    Task UserErasedAsync(ErasedUser erased, CancellationToken cancellationToken);
}
