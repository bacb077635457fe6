using System.Diagnostics;
using System.Net;
using LinkFunctions.Functions;
using LinkFunctions.LineApi;
using LinkFunctions.Storage;
using LinkFunctions.Tests.EndToEnd;
using LinkFunctions.Tests.TestSupport;
using Xunit.Abstractions;

namespace LinkFunctions.Tests.Proof;

/// <summary>
/// LINE fails under the webhook: the channel-token endpoint, the link-token endpoint or the reply answers 500 or 429,
/// or stalls for 3 s. None of these is a state change that could not be stored, so every answer is 200 within the
/// budget; an accountLink still links and spends its nonce, a reply is never retried, and the redelivery is a duplicate.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class FaultsLineTests(CosmosFixture cosmos, ITestOutputHelper output) : AppTest(cosmos)
{
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(3);

    private LinkingFlow Flow => new(App, Line);

    private ProofState State => new(App, Cosmos);

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var endpoint in new[] { "/oauth2/v3/token", "/linkToken", "/v2/bot/message/reply" })
        {
            foreach (var failure in new[] { 500, 429, 0 })
            {
                data.Add(endpoint, failure);
            }
        }

        return data;
    }

    /// <param name="failure">The status LINE answers, or 0 for a 3 s stall.</param>
    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Webhook_LineFailsOrStalls_200WithinTheBudgetLinkStoredAndNoReplyRetried(string endpoint, int failure)
    {
        await State.WarmAsync();
        var (line, user) = (WebhookBodies.NewLineUserId(), ProofRuns.NewServiceUser());
        var nonce = await Flow.OpenLinkingUrlAsync(await Flow.SendKeywordAsync(line), user);
        var problems = new List<string>();
        Arm(endpoint, failure);

        var keyword = await TimedAsync(WebhookBodies.Body(WebhookBodies.TextMessage(WebhookBodies.NewLineUserId(), "link")));
        var replies = Line.CallsTo("/v2/bot/message/reply").Count;
        var accountLink = WebhookBodies.AccountLink(line, nonce);
        var linked = await TimedAsync(WebhookBodies.Body(accountLink));
        var replyAttempts = Line.CallsTo("/v2/bot/message/reply").Count - replies;
        accountLink["deliveryContext"] = new { isRedelivery = true };
        var redelivered = await TimedAsync(WebhookBodies.Body(accountLink));

        foreach (var (what, (status, elapsed)) in new[] { ("keyword", keyword), ("accountLink", linked), ("redelivery", redelivered) })
        {
            if (status != 200 || elapsed > ProofRuns.WebhookAnswerBound)
            {
                problems.Add($"{what}: {status} after {elapsed.TotalMilliseconds:F0} ms");
            }
        }

        if (!await State.LinkedAsync(line, user) || (await State.NonceAsync(nonce))?.Status != NonceStates.Consumed)
        {
            problems.Add("accountLink did not link and spend its nonce");
        }

        if (replyAttempts > 1 || Line.CallsTo("/v2/bot/message/reply").Count - replies != replyAttempts)
        {
            problems.Add($"{replyAttempts} reply attempts for the accountLink, then more for its redelivery");
        }

        ProofRuns.Report(output, problems, $"LINE {endpoint} {(failure == 0 ? "stalls 3 s" : failure.ToString())}: keyword, accountLink, redelivery all 200 within {ProofRuns.WebhookAnswerBound.TotalSeconds} s");
    }

    [Fact]
    public async Task Webhook_ReplyStallsUnderTenConcurrentRequests_EveryAnswerWithinTheBound()
    {
        await State.WarmAsync();
        Line.StallFor = call => call.Path.EndsWith("/reply", StringComparison.Ordinal) ? Stall : TimeSpan.Zero;

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            TimedAsync(WebhookBodies.Body(WebhookBodies.TextMessage(WebhookBodies.NewLineUserId(), "link")))));

        var slowest = answers.Max(a => a.Elapsed);
        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.True(slowest <= ProofRuns.WebhookAnswerBound, $"slowest answer {slowest.TotalMilliseconds:F0} ms");
        output.WriteLine($"10 concurrent keyword webhooks, reply stalled 3 s: slowest answer {slowest.TotalMilliseconds:F0} ms");
    }

    /// <summary>Push is not under the webhook's budget: a stalled LINE ends in a 5xx problem or a success, never a 500, and every attempt carries one retry key.</summary>
    [Fact]
    public async Task Push_LineStalls_NeverA500AndOneRetryKeyForEveryAttempt()
    {
        var (line, user) = (WebhookBodies.NewLineUserId(), ProofRuns.NewServiceUser());
        await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(line, await Flow.OpenLinkingUrlAsync(await Flow.SendKeywordAsync(line), user))));
        Assert.True(await State.LinkedAsync(line, user));
        Line.StallFor = call => call.Path.EndsWith("/push", StringComparison.Ordinal) ? Stall : TimeSpan.Zero;

        var result = await App.Function<PushToUserFunction>().Run(HttpRequests.PostJson(
            "/api/messages/push", $$"""{"serviceUserId":"{{user}}","messages":[{"type":"text","text":"hello"}]}"""));

        var status = HttpRequests.Status(result);
        Assert.True(status is 200 or 502 or 503 or 504, $"push answered {status}: {HttpRequests.Content(result)}");
        var attempts = Line.CallsTo("/v2/bot/message/push");
        Assert.NotEmpty(attempts);
        Assert.Single(attempts.Select(a => a.RetryKey).Distinct());
        output.WriteLine($"push with LINE stalled 3 s: {status} after {attempts.Count} attempts, one retry key");
    }

    private void Arm(string endpoint, int failure)
    {
        bool Hit(LineCall call) => call.Path.EndsWith(endpoint, StringComparison.Ordinal);
        if (endpoint == "/oauth2/v3/token")
        {
            // The warm-up issued a token; without one held, the next call must go to the failing endpoint.
            App.Get<ChannelAccessTokenProvider>().Invalidate();
        }

        if (failure == 0)
        {
            Line.StallFor = call => Hit(call) ? Stall : TimeSpan.Zero;
        }
        else
        {
            Line.Intercept = call => Hit(call) ? (HttpStatusCode)failure : null;
        }
    }

    private async Task<(int Status, TimeSpan Elapsed)> TimedAsync(string body)
    {
        var clock = Stopwatch.StartNew();
        var status = HttpRequests.Status(await Flow.WebhookAsync(body));
        return (status, clock.Elapsed);
    }
}
