namespace LinkFunctions.Webhook;

/// <summary>The webhook (configuration section <c>Webhook</c>).</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhook";

    /// <summary>One budget for every Cosmos and LINE call of a request: LINE wants a 200 within 2 s.</summary>
    public int TimeBudgetMs { get; set; } = 1500;

    public TimeSpan TimeBudget => TimeSpan.FromMilliseconds(TimeBudgetMs);
}
