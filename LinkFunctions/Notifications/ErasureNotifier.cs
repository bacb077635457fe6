using LinkFunctions.Linking;

namespace LinkFunctions.Notifications;

/// <summary>
/// Tells the service of an erasure: one <c>user.erased</c> per affected service user. The method says which side was
/// erased, so a service can tell "this customer asked to be forgotten" from "the LINE account linked to this customer
/// was erased, so the link is gone".
/// </summary>
public sealed class ErasureNotifier(LinkChangeRecorder recorder) : IErasureListener
{
    public const string ServiceUserErased = "service-user-erasure";
    public const string LineUserErased = "line-user-erasure";

    public async Task UserErasedAsync(ErasedUser erased, CancellationToken cancellationToken)
    {
        // Keyed by the time of this erasure: a repeated erasure is a new event, so a receiver that deduped the first
        // (after a re-link and a second erasure, say) still hears of the second.
        var key = erased.ErasedAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var method = erased.ServiceUserId is null ? LineUserErased : ServiceUserErased;
        foreach (var serviceUserId in erased.AffectedServiceUsers)
        {
            await recorder.RecordErasedAsync(serviceUserId, key, method, cancellationToken);
        }
    }
}
