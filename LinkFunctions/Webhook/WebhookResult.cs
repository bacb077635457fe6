namespace LinkFunctions.Webhook;

public enum WebhookStatus
{
    Ok,
    BadSignature,
    TooLarge,
    BadBody,

    /// <summary>A state-changing event could not be stored: a 5xx so that LINE redelivers.</summary>
    Retry,
}

public sealed record WebhookResult(WebhookStatus Status, string? Problem = null)
{
    public static readonly WebhookResult Ok = new(WebhookStatus.Ok);
}

/// <summary>What happened to one event. Only <see cref="Retry"/> changes the HTTP answer.</summary>
public enum EventOutcome
{
    Ignored,
    Handled,
    Duplicate,
    Retry,
}
