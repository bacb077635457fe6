namespace LinkFunctions.Tests.Proof;

/// <summary>The rank arithmetic the load run's p50 and p99 rest on.</summary>
public sealed class LoadPercentileTests
{
    [Theory]
    [InlineData(0.50, 50)]
    [InlineData(0.99, 99)]
    [InlineData(1.00, 100)]
    [InlineData(0.001, 1)]
    public void Percentile_HundredSortedValues_NearestRank(double p, double expected)
    {
        var values = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();

        Assert.Equal(expected, WebhookLoadRun.Percentile(values, p));
    }
}
