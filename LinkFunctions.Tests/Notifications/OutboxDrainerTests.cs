using System.Diagnostics.Metrics;
using System.Net;
using LinkFunctions.Hosting;
using LinkFunctions.Liff;
using LinkFunctions.Linking;
using LinkFunctions.Notifications;
using LinkFunctions.Storage;
using LinkFunctions.Tests.TestSupport;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace LinkFunctions.Tests.Notifications;

/// <summary>Delivery from the outbox: order per user, retry with backoff, dead-letter, and drainers running at once.</summary>
[Collection(CosmosCollection.Name)]
public sealed class OutboxDrainerTests(CosmosFixture cosmos) : NotificationAppTest(cosmos)
{
    protected override void ConfigureSettings(Dictionary<string, string?> settings) => settings["Linking:NotifyMaxAttempts"] = "3";

    private static string NewServiceUser() => $"customer-{Guid.NewGuid():N}";

    /// <summary>Links through the real writer (records, commits), one second of test time apart.</summary>
    private async Task LinkAsync(string serviceUserId, string lineUserId)
    {
        Time.Advance(TimeSpan.FromSeconds(1));
        var now = Time.GetUtcNow();
        var request = new LinkRequest(lineUserId, serviceUserId, Guid.NewGuid().ToString("N"), now.ToUnixTimeMilliseconds(), LiffLinkService.Method, now);
        Assert.Equal(LinkWriteResult.Linked, await App.Get<LinkWriter>().WriteAsync(request, default));
    }

    private MetricCollector<long> Outcomes() =>
        new(App.Get<IMeterFactory>(), LinkMetrics.MeterName, "linkfunctions.notifications");

    private async Task<IReadOnlyList<OutboxDocument>> EntriesAsync(string serviceUserId) =>
        [.. (await App.Get<IOutbox>().AllAsync(App.Get<ProviderKey>().AuditPartition(serviceUserId), default)).Select(e => e.Document).OrderBy(e => e.Seq)];

    [Fact]
    public async Task Drain_ReceiverDownThenBack_PendingWithBackoffThenAllInOrderWithTheSameEventId()
    {
        var serviceUserId = NewServiceUser();
        var (first, second) = (WebhookBodies.NewLineUserId(), WebhookBodies.NewLineUserId());
        await LinkAsync(serviceUserId, first);
        await LinkAsync(serviceUserId, second);
        Receiver.Down = true;

        Assert.Equal(0, await DrainAsync());
        Assert.Equal(0, await DrainAsync());

        var tried = Assert.Single(Receiver.All);
        var waiting = await EntriesAsync(serviceUserId);
        Assert.All(waiting, e => Assert.Equal(OutboxStates.Pending, e.Status));
        Assert.Equal((1, 0), (waiting[0].Attempts, waiting[0].LastStatus));
        Assert.Equal(Time.GetUtcNow() + NotificationPolicy.FirstRetryDelay, waiting[0].NextAttemptAt);

        Receiver.Down = false;
        Time.Advance(NotificationPolicy.FirstRetryDelay);
        Assert.Equal(3, await DrainAsync());

        var received = Verified();
        Assert.Equal(
            [(LinkChangeTypes.Linked, first), (LinkChangeTypes.Linked, second), (LinkChangeTypes.Replaced, first)],
            received.Select(n => (n.Type, n.LineUserId!)));
        Assert.Equal(tried.EventId, received[0].EventId);
        Assert.Equal(tried.Body, received[0].Body);
        Assert.Equal(tried.Signature, received[0].Signature);
    }

    [Fact]
    public async Task Drain_Receiver400_DeadLetteredAtOnceCountedAndTheUsersNextEntryGoes()
    {
        using var outcomes = Outcomes();
        var serviceUserId = NewServiceUser();
        await LinkAsync(serviceUserId, WebhookBodies.NewLineUserId());
        await LinkAsync(serviceUserId, WebhookBodies.NewLineUserId());
        var refused = (await EntriesAsync(serviceUserId))[0].Id;
        Receiver.Answer = n => n.EventId == refused ? HttpStatusCode.BadRequest : null;

        Assert.Equal(2, await DrainAsync());
        Time.Advance(TimeSpan.FromDays(1));
        await DrainAsync();

        Assert.Single(Receiver.All, n => n.EventId == refused);
        var entry = (await EntriesAsync(serviceUserId))[0];
        Assert.Equal((OutboxStates.DeadLetter, 1, 400), (entry.Status, entry.Attempts, entry.LastStatus));
        Assert.Equal((int)NotificationPolicy.KeepDeadLettered.TotalSeconds, entry.Ttl);
        Assert.Single(outcomes.GetMeasurementSnapshot(), m => Equals(m.Tags["outcome"], "deadletter"));
        Assert.Equal(2, outcomes.GetMeasurementSnapshot().Count(m => Equals(m.Tags["outcome"], "delivered")));
    }

    [Fact]
    public async Task Drain_Receiver429WithRetryAfter_RetriedAfterItThenDelivered()
    {
        using var outcomes = Outcomes();
        var serviceUserId = NewServiceUser();
        await LinkAsync(serviceUserId, WebhookBodies.NewLineUserId());
        var answers = new Queue<HttpStatusCode?>([HttpStatusCode.TooManyRequests]);
        Receiver.Answer = _ => answers.TryDequeue(out var status) ? status : null;

        Assert.Equal(0, await DrainAsync());
        var entry = Assert.Single(await EntriesAsync(serviceUserId));
        Assert.Equal((OutboxStates.Pending, 429), (entry.Status, entry.LastStatus));
        Time.Advance(NotificationPolicy.FirstRetryDelay);
        Assert.Equal(1, await DrainAsync());

        Assert.Equal(2, Receiver.All.Count);
        Assert.Equal(Receiver.All[0].EventId, Verified().Single().EventId);
        Assert.Equal(["retry", "delivered"], outcomes.GetMeasurementSnapshot().Select(m => (string)m.Tags["outcome"]!));
    }

    [Fact]
    public async Task Drain_ReceiverAlways503_DeadLetteredAfterMaxAttemptsWithGrowingBackoff()
    {
        var serviceUserId = NewServiceUser();
        await LinkAsync(serviceUserId, WebhookBodies.NewLineUserId());
        Receiver.Answer = _ => HttpStatusCode.ServiceUnavailable;

        var waits = new List<TimeSpan>();
        for (var round = 0; round < 6; round++)
        {
            await DrainAsync();
            var entry = Assert.Single(await EntriesAsync(serviceUserId));
            waits.Add(entry.NextAttemptAt - Time.GetUtcNow());
            Time.Advance(TimeSpan.FromHours(7));
        }

        Assert.Equal(3, Receiver.All.Count);
        Assert.Equal(OutboxStates.DeadLetter, Assert.Single(await EntriesAsync(serviceUserId)).Status);
        Assert.Equal([TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2)], waits.Take(2));
    }

    [Fact]
    public async Task Drain_TwoDrainersAtOnce_EachEntryDeliveredOnceAndInOrderPerUser()
    {
        var users = Enumerable.Range(0, 3).Select(_ => NewServiceUser()).ToList();
        foreach (var user in users)
        {
            await LinkAsync(user, WebhookBodies.NewLineUserId());
            await LinkAsync(user, WebhookBodies.NewLineUserId());
        }

        // Slow answers widen the window in which both drainers hold the same entries.
        Receiver.Answer = _ =>
        {
            Thread.Sleep(30);
            return null;
        };
        var drainer = App.Get<OutboxDrainer>();

        var counts = await Task.WhenAll(Task.Run(() => drainer.DrainAsync(default)), Task.Run(() => drainer.DrainAsync(default)));
        Time.Advance(NotificationPolicy.ClaimLease + TimeSpan.FromSeconds(1));
        await DrainAsync();

        var received = Verified();
        Assert.Equal(9, counts.Sum());
        Assert.Equal(9, received.Count);
        Assert.Equal(9, received.Select(n => n.EventId).Distinct().Count());
        foreach (var user in users)
        {
            var expected = (await EntriesAsync(user)).Select(e => e.Id);
            Assert.Equal(expected, received.Where(n => n.ServiceUserId == user).Select(n => n.EventId));
        }
    }

    [Fact]
    public async Task Drain_LinkRecordedButNeverCommitted_HeldBackThenDiscardedWithoutSending()
    {
        using var outcomes = Outcomes();
        var serviceUserId = NewServiceUser();
        var now = Time.GetUtcNow();
        await App.Get<LinkChangeRecorder>().RecordLinkedAsync(
            new LinkRequest(WebhookBodies.NewLineUserId(), serviceUserId, "never-committed", now.ToUnixTimeMilliseconds(), LiffLinkService.Method, now), default);

        await DrainAsync();
        Assert.Single(await EntriesAsync(serviceUserId));
        Time.Advance(NotificationPolicy.CommitGrace);
        await DrainAsync();

        Assert.Empty(Receiver.All);
        Assert.Empty(await EntriesAsync(serviceUserId));
        Assert.Equal("discarded", (string)Assert.Single(outcomes.GetMeasurementSnapshot()).Tags["outcome"]!);
    }

    [Fact]
    public async Task RecordErased_UserWithEntries_OnlyTheErasedNotificationGoesAndNothingIsLeft()
    {
        var serviceUserId = NewServiceUser();
        await LinkAsync(serviceUserId, WebhookBodies.NewLineUserId());

        await App.Get<LinkChangeRecorder>().RecordErasedAsync(serviceUserId, "erasure-1", "service", default);
        await DrainAsync();

        var n = Assert.Single(Verified());
        Assert.Equal((LinkChangeTypes.Erased, serviceUserId, null), (n.Type, n.ServiceUserId, n.LineUserId));
        Assert.Empty(await EntriesAsync(serviceUserId));
    }
}
