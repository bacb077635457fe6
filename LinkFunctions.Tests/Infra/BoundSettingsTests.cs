using LinkFunctions.Hosting;
using LinkFunctions.LineApi;
using LinkFunctions.Linking;
using LinkFunctions.Secrets;
using LinkFunctions.Storage;
using LinkFunctions.Webhook;

namespace LinkFunctions.Tests.Infra;

/// <summary>The reflection that derives the bound keys: it must see every options class and only settable properties.</summary>
public sealed class BoundSettingsTests
{
    [Theory]
    [InlineData(typeof(LineOptions))]
    [InlineData(typeof(CosmosOptions))]
    [InlineData(typeof(KeyVaultOptions))]
    [InlineData(typeof(LinkingOptions))]
    [InlineData(typeof(AuthOptions))]
    [InlineData(typeof(WebhookOptions))]
    [InlineData(typeof(LinkFunctions.Login.LineLoginOptions))]
    [InlineData(typeof(LinkFunctions.Liff.LiffOptions))]
    [InlineData(typeof(LinkFunctions.Telemetry.TelemetryOptions))]
    public void OptionsTypes_KnownOptionsClass_IsFound(Type optionsType)
    {
        Assert.Contains(optionsType, BoundSettings.OptionsTypes());
    }

    [Theory]
    [InlineData("Cosmos__AccountEndpoint")]
    [InlineData("Cosmos__ConnectionString")]
    [InlineData("Linking__Keywords")]
    [InlineData("Webhook__TimeBudgetMs")]
    [InlineData("Auth__LoginProvider")]
    [InlineData("LineLogin__CallbackUrl")]
    [InlineData("Liff__ChannelId")]
    [InlineData("Telemetry__IdHashKeySecretName")]
    [InlineData("Linking__AllowedReturnUrls")]
    public void Keys_SettableProperty_IsBound(string key)
    {
        Assert.Contains(key, BoundSettings.Keys());
    }

    [Theory]
    [InlineData("Linking__KeywordList")]
    [InlineData("Webhook__TimeBudget")]
    [InlineData("Line__Section")]
    public void Keys_ComputedPropertyOrConstant_IsNotBound(string key)
    {
        Assert.DoesNotContain(key, BoundSettings.Keys());
    }

    [Theory]
    [InlineData("Linking__AllowedReturnUrls", "Linking__AllowedReturnUrls", true)]
    [InlineData("Linking__AllowedReturnUrls__0", "Linking__AllowedReturnUrls", true)]
    [InlineData("Linking__AllowedReturnUrlsExtra", "Linking__AllowedReturnUrls", false)]
    public void Feeds_SettingAndBoundKey_MatchesKeyOrItsElements(string setting, string boundKey, bool expected)
    {
        Assert.Equal(expected, BoundSettings.Feeds(setting, boundKey));
    }
}
