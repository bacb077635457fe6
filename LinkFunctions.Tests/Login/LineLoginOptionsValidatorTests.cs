using LinkFunctions.Hosting;
using LinkFunctions.Login;
using LinkFunctions.Secrets;
using LinkFunctions.Tests.Hosting;
using Microsoft.Extensions.Options;
using static LinkFunctions.Tests.Hosting.OptionsTestPlatforms;

namespace LinkFunctions.Tests.Login;

public class LineLoginOptionsValidatorTests
{
    private const string TokenKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private static IReadOnlyList<string> Validate(LineLoginOptions options, PlatformInfo? platform = null, Uri? vault = null) =>
        Errors(new LineLoginOptionsValidator(platform ?? OptionsTestPlatforms.Local, Options.Create(new KeyVaultOptions { VaultUri = vault })).Validate(null, options));

    private static LineLoginOptions Complete() => new() { ChannelId = "2000000001", ChannelSecret = "0f1e2d3c4b5a69788796a5b4c3d2e1f0", TokenKey = TokenKey };

    [Fact]
    public void Validate_NoChannelId_FeatureOffAndStartUpSucceeds()
    {
        Assert.Empty(Validate(new LineLoginOptions { BotPrompt = "bogus" }));
    }

    [Fact]
    public void Validate_LocalComplete_Succeeds()
    {
        Assert.Empty(Validate(Complete()));
    }

    [Fact]
    public void Validate_KeyVaultWithNames_Succeeds()
    {
        Assert.Empty(Validate(new LineLoginOptions { ChannelId = "2000000001" }, AzureBySiteName, new Uri("https://vault.example")));
    }

    [Fact]
    public void Validate_NonDigitChannelId_NamesLineLoginChannelId()
    {
        Assert.Contains(Validate(Complete().With(o => o.ChannelId = "abc")), e => e.StartsWith("LineLogin__ChannelId:", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_NoSecretWithoutKeyVault_NamesLineLoginChannelSecret()
    {
        Assert.Contains(Validate(Complete().With(o => o.ChannelSecret = null)), e => e.StartsWith("LineLogin__ChannelSecret:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("WEBSITE_SITE_NAME")]
    [InlineData("WEBSITE_INSTANCE_ID")]
    public void Validate_LocalOnlySecretsInAzure_AreRefusedEvenWhenFeatureOff(string by)
    {
        var errors = Validate(new LineLoginOptions { ChannelSecret = "s", TokenKey = TokenKey }, InAzure(by), new Uri("https://vault.example"));

        Assert.Contains(errors, e => e.StartsWith("LineLogin__ChannelSecret:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("LineLogin__TokenKey:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("AAECAwQFBgcICQoLDA0ODw==")]
    public void Validate_BadTokenKeyWithoutKeyVault_NamesLineLoginTokenKey(string? key)
    {
        Assert.Contains(Validate(Complete().With(o => o.TokenKey = key)), e => e.StartsWith("LineLogin__TokenKey:", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_UnknownBotPrompt_NamesLineLoginBotPrompt()
    {
        Assert.Contains(Validate(Complete().With(o => o.BotPrompt = "always")), e => e.StartsWith("LineLogin__BotPrompt:", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_PlainHttpCallbackOffLoopback_NamesLineLoginCallbackUrl()
    {
        var errors = Validate(Complete().With(o => o.CallbackUrl = new Uri("http://link.example.com/api/login/line/callback")));

        Assert.Contains(errors, e => e.StartsWith("LineLogin__CallbackUrl:", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_EmptySecretNamesWithKeyVault_NameTheirSettings()
    {
        var errors = Validate(new LineLoginOptions { ChannelId = "2000000001", ChannelSecretName = " ", TokenKeySecretName = "" }, AzureBySiteName, new Uri("https://vault.example"));

        Assert.Contains(errors, e => e.StartsWith("LineLogin__ChannelSecretName:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("LineLogin__TokenKeySecretName:", StringComparison.Ordinal));
    }
}

internal static class LineLoginOptionsTestExtensions
{
    public static LineLoginOptions With(this LineLoginOptions options, Action<LineLoginOptions> change)
    {
        change(options);
        return options;
    }
}
