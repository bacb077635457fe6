namespace LinkFunctions.Notifications;

/// <summary>Asks for one user's queue to be delivered soon, without waiting for it.</summary>
public interface IDeliveryTrigger
{
    /// <param name="partition"><c>{pk}:{serviceUserId}</c>.</param>
    void Trigger(string partition);
}
