using Microsoft.Playwright;

namespace LinkFunctions.Tests.TestSupport;

/// <summary>
/// Debian's headless Chromium driven by Playwright (its bundled driver; no browser download). scripts/test.sh installs
/// the chromium package when it is missing. Flags as this machine needs them: no sandbox as root, and no background
/// networking, which the closed network would refuse.
/// </summary>
public sealed class HeadlessChromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright playwright = null!;
    private string profile = null!;

    public IBrowserContext Context { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ExecutablePath), $"{ExecutablePath} is missing: run the tests with scripts/test.sh, which installs Debian's chromium.");
        playwright = await Playwright.CreateAsync();
        profile = Directory.CreateTempSubdirectory("linkfunctions-chromium-").FullName;
        Context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Context.SetDefaultTimeout(15_000);
    }

    public async Task DisposeAsync()
    {
        await Context.DisposeAsync();
        playwright.Dispose();
        Directory.Delete(profile, recursive: true);
    }

    /// <summary>
    /// Saves a screenshot next to the test assembly and, with LINKFUNCTIONS_UPDATE_SCREENSHOTS=1, over the README's copy
    /// in docs/images, so that an ordinary test run leaves the work tree clean.
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "screenshots", name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        Assert.True(new FileInfo(path).Length > 1000, $"{name}: empty screenshot");
        if (Environment.GetEnvironmentVariable("LINKFUNCTIONS_UPDATE_SCREENSHOTS") == "1")
        {
            File.Copy(path, Infra.RepoRoot.File(Path.Combine("docs", "images", name + ".png")), overwrite: true);
        }
    }
}
