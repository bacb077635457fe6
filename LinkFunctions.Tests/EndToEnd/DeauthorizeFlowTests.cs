using System.Net;
using LinkFunctions.Login;
using LinkFunctions.Storage;
using LinkFunctions.Tests.TestSupport;

namespace LinkFunctions.Tests.EndToEnd;

/// <summary>LINE's deauthorize when a LINE Login link ends, against the LINE fake's <c>/user/v1/deauthorize</c>.</summary>
[Collection(CosmosCollection.Name)]
public sealed class DeauthorizeFlowTests(CosmosFixture cosmos) : AppTest(cosmos)
{
    private const string DeauthorizePath = "/user/v1/deauthorize";

    private LifecycleFlow Flow => new(App, Line);

    private LineLoginFlow Login => new(App, Line);

    protected override void ConfigureSettings(Dictionary<string, string?> settings) => LineLoginFlow.Settings(settings);

    private async Task<(string Customer, string LineUserId)> LoginLinkAsync()
    {
        var (customer, lineUserId) = ($"customer-{Guid.NewGuid():N}", WebhookBodies.NewLineUserId());
        Assert.Equal(LoginResults.Linked, await Login.LinkAsync(customer, lineUserId));
        return (customer, lineUserId);
    }

    [Fact]
    public async Task Unlink_LineLoginLink_DeauthorizesWithTheLoginChannelTokenAndDropsTheGrant()
    {
        var (customer, lineUserId) = await LoginLinkAsync();

        Assert.Equal(204, await Flow.UnlinkAsync(customer));
        Assert.Equal(204, await Flow.UnlinkAsync(customer));

        var call = Assert.Single(Line.CallsTo(DeauthorizePath));
        Assert.Equal($"Bearer {LineFake.LoginChannelAccessToken}", call.Authorization);
        Assert.Equal(LineFake.LoginAccessToken, Assert.Single(Line.Deauthorizations).UserAccessToken);
        Assert.Null(await Login.GrantAsync(lineUserId));
    }

    [Fact]
    public async Task Unlink_DeauthorizeRefused_UnlinkStandsFailureAuditedGrantKeptForErasure()
    {
        var (customer, lineUserId) = await LoginLinkAsync();
        Line.Intercept = call => call.Path == DeauthorizePath ? HttpStatusCode.Forbidden : null;

        Assert.Equal(204, await Flow.UnlinkAsync(customer));

        Assert.Null(await Flow.Linking.FindByServiceUserAsync(customer));
        Assert.Empty(Line.Deauthorizations);
        Assert.NotNull(await Login.GrantAsync(lineUserId));
        var failed = Assert.Single(await AuditEntries.InPartitionAsync(Cosmos.Database, App.Get<ProviderKey>().AuditPartition(customer)), e => e.Action == LineLoginDeauthorizer.FailedAction);
        Assert.Contains("403", failed.Reason, StringComparison.Ordinal);

        Line.Intercept = null;
        Assert.Equal(204, await Flow.EraseAsync(customer));

        Assert.Equal(LineFake.LoginAccessToken, Assert.Single(Line.Deauthorizations).UserAccessToken);
        Assert.Null(await Login.GrantAsync(lineUserId));
    }

    [Fact]
    public async Task Unlink_AccessTokenExpired_RefreshesThenDeauthorizes()
    {
        var (customer, lineUserId) = await LoginLinkAsync();
        var grant = (await Login.GrantAsync(lineUserId))!;
        await Cosmos.Database.Links.UpsertAsync(
            grant.Document with { AccessTokenExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) }, grant.Document.Id, LoginJsonContext.Default.LineLoginGrantDocument, default);

        Assert.Equal(204, await Flow.UnlinkAsync(customer));

        Assert.Equal(LineFake.RefreshedAccessToken, Assert.Single(Line.Deauthorizations).UserAccessToken);
    }

    [Fact]
    public async Task Unlink_MessagingApiLink_NoDeauthorize()
    {
        var (customer, lineUserId) = ($"customer-{Guid.NewGuid():N}", WebhookBodies.NewLineUserId());
        await Flow.LinkAsync(lineUserId, customer);

        Assert.Equal(204, await Flow.UnlinkAsync(customer));

        Assert.Empty(Line.CallsTo(DeauthorizePath));
    }
}
