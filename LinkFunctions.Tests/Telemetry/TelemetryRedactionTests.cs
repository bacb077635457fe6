using LinkFunctions.Telemetry;

namespace LinkFunctions.Tests.Telemetry;

public sealed class TelemetryRedactionTests
{
    private const string LineUserId = "U4af4980629d3a2c5a0a1a3d6f0a4c4b1";

    [Theory]
    [InlineData("GET /api/links/line-users/" + LineUserId, "GET /api/links/line-users/{lineUserId}")]
    [InlineData("DELETE /api/links/line-users/" + LineUserId + "/history", "DELETE /api/links/line-users/{lineUserId}/history")]
    [InlineData("https://app.example.com/api/links/users/customer-42?code=functionkey", "https://app.example.com/api/links/users/{serviceUserId}?code={redacted}")]
    [InlineData("POST https://api.line.me/v2/bot/user/" + LineUserId + "/linkToken", "POST https://api.line.me/v2/bot/user/{userId}/linkToken")]
    [InlineData("https://api.line.me/v2/bot/profile/" + LineUserId, "https://api.line.me/v2/bot/profile/{userId}")]
    [InlineData("/v2/bot/group/C1234/member/" + LineUserId, "/v2/bot/group/{chatId}/member/{userId}")]
    [InlineData("http://127.0.0.1:8081/dbs/linking/colls/links/docs/user%3A1234567890%3Acustomer-42", "http://127.0.0.1:8081/dbs/linking/colls/links/docs/{id}")]
    [InlineData("Entity with id nonce:1234567890:AbCdEf_12-xyz not found", "Entity with id nonce:1234567890:{redacted} not found")]
    [InlineData("Redirecting to https://access.line.me/dialog/bot/accountLink?linkToken=LinkToken123&nonce=N0nce", "Redirecting to https://access.line.me/dialog/bot/accountLink?linkToken={redacted}&nonce={redacted}")]
    [InlineData("/api/login/line/callback?state=s1&code=c2&session=x3", "/api/login/line/callback?state={redacted}&code={redacted}&session={redacted}")]
    [InlineData("from " + LineUserId + ".", "from U{redacted}.")]
    public void Text_IdsTokensAndQueryValues_ReplacedKeepingShape(string text, string expected) =>
        Assert.Equal(expected, TelemetryRedaction.Text(text));

    [Theory]
    [InlineData("LINE reply answered 200 in 35 ms")]
    [InlineData("https://api.line.me/v2/bot/message/reply")]
    [InlineData("user: 3 of 4 steps")]
    [InlineData("")]
    public void Text_NothingIdentifying_Unchanged(string text) => Assert.Equal(text, TelemetryRedaction.Text(text));

    [Fact]
    public void Url_WithIdAndQuery_PathRedactedAndQueryDropped()
    {
        var url = new Uri($"https://app.example.com/api/links/line-users/{LineUserId}?code=functionkey#frag");

        Assert.Equal("https://app.example.com/api/links/line-users/{lineUserId}", TelemetryRedaction.Url(url)!.OriginalString);
    }
}
