namespace LinkFunctions.Webhook;

/// <summary>
/// The fields of one LINE webhook event that the app acts on; everything else is skipped unread.
/// Every field is optional, because LINE's own samples omit fields the spec calls required.
/// </summary>
public sealed record WebhookEvent
{
    public string? Type { get; init; }
    public string? Mode { get; init; }
    public long? Timestamp { get; init; }
    public string? WebhookEventId { get; init; }
    public bool IsRedelivery { get; init; }
    public string? ReplyToken { get; init; }
    public string? SourceType { get; init; }
    public string? SourceUserId { get; init; }
    public string? MessageType { get; init; }
    public string? MessageText { get; init; }
    public string? LinkResult { get; init; }
    public string? LinkNonce { get; init; }
    public string? PostbackData { get; init; }

    /// <summary>In standby mode another channel owns the chat: no reply token, and we must not send messages.</summary>
    public bool IsStandby => string.Equals(Mode, "standby", StringComparison.Ordinal);

    /// <summary>A 1:1 chat: only there may a linking URL be sent, since group members could bind it to themselves.</summary>
    public bool IsOneToOne => string.Equals(SourceType, "user", StringComparison.Ordinal);
}

/// <summary>The parsed body: the events, or why the body is not a LINE webhook at all.</summary>
public sealed record WebhookPayload(string? Destination, IReadOnlyList<WebhookEvent> Events);
