using LinkFunctions.Hosting;
using LinkFunctions.Webhook;
using static LinkFunctions.Tests.Hosting.OptionsTestPlatforms;

namespace LinkFunctions.Tests.Webhook;

public class WebhookOptionsValidatorTests
{
    [Theory]
    [InlineData(100)]
    [InlineData(1500)]
    [InlineData(1900)]
    public void Validate_BudgetWithinRange_Succeeds(int ms)
    {
        Assert.Empty(Errors(new WebhookOptionsValidator().Validate(null, new WebhookOptions { TimeBudgetMs = ms })));
    }

    [Theory]
    [InlineData(99)]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1901)]
    [InlineData(2000)]
    [InlineData(int.MaxValue)]
    public void Validate_BudgetOutsideRange_NamesWebhookTimeBudgetMs(int ms)
    {
        var errors = Errors(new WebhookOptionsValidator().Validate(null, new WebhookOptions { TimeBudgetMs = ms }));

        var error = Assert.Single(errors);
        Assert.StartsWith("Webhook__TimeBudgetMs:", error);
    }

    [Fact]
    public void WebhookOptions_Default_IsAValidBudget()
    {
        var options = new WebhookOptions();

        Assert.Empty(Errors(new WebhookOptionsValidator().Validate(null, options)));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.TimeBudget);
    }
}
