using LinkFunctions.Functions;
using LinkFunctions.Tests.EndToEnd;
using LinkFunctions.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static LinkFunctions.Tests.TestSupport.CountingRequestHandler;

namespace LinkFunctions.Tests.Proof;

/// <summary>
/// The Cosmos operations one request costs, counted in the real SDK pipeline against the local server: the fresh
/// link and its redelivery hold the design's targets (5 and 1); every other figure is pinned at today's count as a
/// regression guard, so that a change that adds a round trip shows up here and in docs/reliability.md together.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class CostPerRequestTests(CosmosFixture cosmos) : AppTest(cosmos)
{
    private readonly CountingRequestHandler cosmosOps = new();

    private LinkingFlow Flow => new(App, Line);

    private LineLoginFlow Login => new(App, Line);

    protected override void ConfigureSettings(Dictionary<string, string?> settings)
    {
        LineLoginFlow.Settings(settings);
        settings["Liff:ChannelId"] = LiffIdTokens.LiffChannelId;
    }

    protected override void ConfigureServices(IServiceCollection services) => cosmosOps.InstallIn(services, Cosmos.ConnectionString);

    private static string NewServiceUser() => $"customer-{Guid.NewGuid():N}";

    /// <summary>Keyword and nonce redirect (not counted); returns the accountLink event that links the pair.</summary>
    private async Task<Dictionary<string, object?>> PrepareAccountLinkAsync(string lineUserId, string serviceUserId)
    {
        var nonce = await Flow.OpenLinkingUrlAsync(await Flow.SendKeywordAsync(lineUserId), serviceUserId);
        return WebhookBodies.AccountLink(lineUserId, nonce);
    }

    private async Task LinkAsync(string lineUserId, string serviceUserId) =>
        Assert.Equal(200, HttpRequests.Status(await Flow.WebhookAsync(WebhookBodies.Body(await PrepareAccountLinkAsync(lineUserId, serviceUserId)))));

    /// <summary>
    /// Runs <paramref name="request"/> alone and returns the Cosmos operations it cost, in order, e.g. "create links"
    /// or, when Cosmos refused it, "create links (409)": a refused request is charged too.
    /// </summary>
    private async Task<string[]> CountAsync(Func<Task> request)
    {
        cosmosOps.Reset();
        await request();
        return [.. cosmosOps.Operations.Select(o => o.Status is >= 200 and < 300 ? $"{o.Kind} {o.Container}" : $"{o.Kind} {o.Container} ({o.Status})")];
    }

    private static void AssertOperations(string[] expected, string[] actual) =>
        Assert.True(expected.SequenceEqual(actual), $"{actual.Length} operations: {string.Join(", ", actual)}");

    private async Task WebhookOkAsync(object e) => Assert.Equal(200, HttpRequests.Status(await Flow.WebhookAsync(WebhookBodies.Body(e))));

    [Fact]
    public async Task AccountLink_FreshLink_FiveOperations()
    {
        var accountLink = await PrepareAccountLinkAsync(WebhookBodies.NewLineUserId(), NewServiceUser());

        var operations = await CountAsync(() => WebhookOkAsync(accountLink));

        // Nonce read; each half created blind (a first link finds both ids free); the audit entry; the nonce consumed last.
        AssertOperations([$"{Read} transient", $"{Create} links", $"{Create} links", $"{Create} audit", $"{Replace} transient"], operations);
    }

    [Fact]
    public async Task AccountLink_DuplicateRedelivery_OneOperation()
    {
        var accountLink = await PrepareAccountLinkAsync(WebhookBodies.NewLineUserId(), NewServiceUser());
        await WebhookOkAsync(accountLink);
        accountLink["deliveryContext"] = new { isRedelivery = true };

        var operations = await CountAsync(() => WebhookOkAsync(accountLink));

        // The nonce, consumed by this very event, is the dedupe record: one point read and no reply.
        AssertOperations([$"{Read} transient"], operations);
    }

    [Fact]
    public async Task AccountLink_LineUserMovesToAnotherServiceUser_TenOperations()
    {
        var lineUserId = WebhookBodies.NewLineUserId();
        await LinkAsync(lineUserId, NewServiceUser());
        var relink = await PrepareAccountLinkAsync(lineUserId, NewServiceUser());

        var operations = await CountAsync(() => WebhookOkAsync(relink));

        // The line half is taken over: refused blind create, read, replace with its write-ahead record. The user half
        // is free. The displaced user half is read, audited as replaced and deleted. Then the audit and the nonce.
        AssertOperations([
                $"{Read} transient", $"{Create} links (409)", $"{Read} links", $"{Replace} links", $"{Create} links",
                $"{Read} links", $"{Create} audit", $"{Delete} links", $"{Create} audit", $"{Replace} transient",
            ], operations);
    }

    [Fact]
    public async Task DeleteLink_ByServiceUser_SevenOperations()
    {
        var (lineUserId, serviceUserId) = (WebhookBodies.NewLineUserId(), NewServiceUser());
        await LinkAsync(lineUserId, serviceUserId);
        var request = HttpRequests.Get($"/api/links/users/{serviceUserId}");
        request.Method = HttpMethods.Delete;

        var operations = await CountAsync(async () =>
            Assert.Equal(204, HttpRequests.Status(await App.Function<DeleteLinkFunction>().ByServiceUser(request, serviceUserId))));

        // The lookup reads both halves; the unlinker reads them again for their ETags, audits, then tombstones both.
        AssertOperations([$"{Read} links", $"{Read} links", $"{Read} links", $"{Read} links", $"{Create} audit", $"{Replace} links", $"{Replace} links"], operations);
    }

    [Fact]
    public async Task LineLoginCallback_FreshLink_SixOperations()
    {
        var started = await Login.StartAsync(NewServiceUser());
        var authorization = Line.Authorize(started.AuthorizeUrl, WebhookBodies.NewLineUserId());

        var operations = await CountAsync(async () =>
            Assert.Equal("linked", LineLoginFlow.Result((await Login.CallbackAsync(authorization, started.Cookie)).Result)));

        // The single-use login state: read, then deleted; the wrapped refresh token upserted; both halves; the audit.
        AssertOperations([$"{Read} transient", $"{Delete} transient", $"{Upsert} links", $"{Create} links", $"{Create} links", $"{Create} audit"], operations);
    }

    [Fact]
    public async Task LiffLink_SignedInFreshLink_FourOperations()
    {
        var token = Line.Liff.Sign(LiffIdTokens.Claims(WebhookBodies.NewLineUserId(), DateTimeOffset.UtcNow));
        var request = HttpRequests.PostJson("/api/links/liff/me", $$"""{"idToken":"{{token}}"}""").AsServiceUser(NewServiceUser());
        request.Headers.Origin = TestApp.PublicBaseUrl.GetLeftPart(UriPartial.Authority);

        var operations = await CountAsync(async () =>
            Assert.Equal(200, HttpRequests.Status(await App.Function<LiffLinkFunction>().RunSignedIn(request))));

        // The ID token's single use (create-only), both halves, the audit.
        AssertOperations([$"{Create} transient", $"{Create} links", $"{Create} links", $"{Create} audit"], operations);
    }

    [Fact]
    public async Task Follow_NewFriend_ThreeOperations()
    {
        var operations = await CountAsync(() => WebhookOkAsync(WebhookLoadRun.Follow(WebhookBodies.NewLineUserId())));

        // Is the user already linked (an unblock)? The line half is missing, so one read; then the marker and the link token.
        AssertOperations([$"{Read} links (404)", $"{Create} transient", $"{Upsert} transient"], operations);
    }

    [Fact]
    public async Task MessageKeyword_OneToOne_TwoOperations()
    {
        var operations = await CountAsync(() => WebhookOkAsync(WebhookBodies.TextMessage(WebhookBodies.NewLineUserId(), "link")));

        // The create-only event marker, then the link token.
        AssertOperations([$"{Create} transient", $"{Upsert} transient"], operations);
    }

    [Fact]
    public async Task IgnoredEvent_PlainMessage_NoOperations()
    {
        var operations = await CountAsync(() => WebhookOkAsync(WebhookBodies.TextMessage(WebhookBodies.NewLineUserId(), "hello")));

        // Only the events the app acts on cost anything (design §3).
        Assert.Empty(operations);
    }
}
