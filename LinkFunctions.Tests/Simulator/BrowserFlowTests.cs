using System.Text.RegularExpressions;
using LinkFunctions.Tests.TestSupport;
using Microsoft.Playwright;

namespace LinkFunctions.Tests.Simulator;

/// <summary>
/// The README's promise, clicked through in real headless Chromium: the simulator's chat and "your service" pages,
/// the app on the dev host, the local Cosmos server. Each test links a simulated LINE user, sees the link in the
/// app's lookup API, and unlinks.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class BrowserFlowTests(CosmosFixture cosmos) : IAsyncLifetime
{
    private readonly HeadlessChromium chromium = new();
    private SimulatorStack stack = null!;
    private IPage page = null!;

    public async Task InitializeAsync()
    {
        stack = await SimulatorStack.StartAsync(cosmos);
        await chromium.InitializeAsync();
        page = await chromium.Context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await chromium.DisposeAsync();
        await stack.DisposeAsync();
    }

    private string Url(string path) => new Uri(stack.SimulatorUrl, path).AbsoluteUri;

    private async Task CreateLineUserAsync(string name)
    {
        await page.GotoAsync(Url("/"));
        await page.FillAsync("#new-user-name", name);
        await page.ClickAsync("#create-user");
        await Assertions.Expect(page.Locator("#chat-user")).ToContainTextAsync(name);
    }

    private async Task SignInToServiceAsync(string serviceUserId)
    {
        await page.GotoAsync(Url("/service"));
        await page.FillAsync("#service-user-id", serviceUserId);
        await page.ClickAsync("#sign-in");
        await Assertions.Expect(page.Locator("#signed-in-user")).ToHaveTextAsync(serviceUserId);
    }

    [Fact]
    public async Task MessagingApi_AddFriendLinkThenUnlinkFromChat_AppLinksAndUnlinks()
    {
        await CreateLineUserAsync("Taro");
        await page.ClickAsync("#add-friend");
        await page.FillAsync("#message-text", "link");
        await page.ClickAsync("#send");

        // The follow prompt and the keyword's answer both carry a linking URL; the newest is the one to open.
        var links = page.Locator(".from-bot a.message-link");
        await Assertions.Expect(links).ToHaveCountAsync(2);
        await HeadlessChromium.ScreenshotAsync(page, "simulator-chat-link-prompt");
        await links.Last.ClickAsync();

        await page.FillAsync("#service-user-id", "alice");
        await page.ClickAsync("#sign-in");
        await Assertions.Expect(page.Locator("#line-user-name")).ToHaveTextAsync("Taro");
        await HeadlessChromium.ScreenshotAsync(page, "simulator-account-link-dialog");
        await page.ClickAsync("#link");

        await Assertions.Expect(page.Locator(".from-bot .bubble").Last).ToContainTextAsync("now linked");
        await Assertions.Expect(page.Locator("#link-status")).ToContainTextAsync("Linked to service user alice (messaging-api)");
        await page.Locator(".inspector summary").First.ClickAsync();
        await HeadlessChromium.ScreenshotAsync(page, "simulator-chat-linked");

        await page.GotoAsync(Url("/service"));
        await Assertions.Expect(page.Locator("#link-status")).ToContainTextAsync("Linked to LINE user U");

        await page.GotoAsync(Url("/"));
        await page.Locator(".users a", new() { HasText = "Taro" }).ClickAsync();
        await page.ClickAsync("#menu-unlink");
        await Assertions.Expect(page.Locator(".from-bot .bubble").Last).ToContainTextAsync("no longer linked");
        await Assertions.Expect(page.Locator("#link-status")).ToContainTextAsync("Not linked");
    }

    [Fact]
    public async Task LineLogin_FromServicePageThenUnlinkThere_AppLinksAndUnlinks()
    {
        await CreateLineUserAsync("Hanako");
        await SignInToServiceAsync("bob");

        await page.ClickAsync("#line-login");
        await page.SelectOptionAsync("#line-user", new SelectOptionValue { Label = "Hanako" });
        await HeadlessChromium.ScreenshotAsync(page, "simulator-line-login-consent");
        await page.ClickAsync("#allow");

        await Assertions.Expect(page.Locator("#login-result")).ToContainTextAsync("linked");
        await Assertions.Expect(page.Locator("#link-status")).ToHaveClassAsync(new Regex("^linked$"));
        await Assertions.Expect(page.Locator("#link-status")).ToContainTextAsync("(Hanako) by line-login");
        await HeadlessChromium.ScreenshotAsync(page, "simulator-service-linked");

        await page.ClickAsync("#unlink");
        await Assertions.Expect(page.Locator("#link-status")).ToHaveTextAsync("Not linked");
    }

    [Fact]
    public async Task Liff_IdTokenPostedByTheService_AppLinks()
    {
        await CreateLineUserAsync("Shiro");
        await SignInToServiceAsync("carol");

        await page.ClickAsync("#open-liff");
        await page.SelectOptionAsync("#liff-user", new SelectOptionValue { Label = "Shiro" });
        await page.ClickAsync("#liff-link");

        await Assertions.Expect(page.Locator("#liff-result")).ToContainTextAsync("\"method\": \"liff\"");
        await page.GotoAsync(Url("/service"));
        await Assertions.Expect(page.Locator("#link-status")).ToContainTextAsync("(Shiro) by liff");
    }
}
