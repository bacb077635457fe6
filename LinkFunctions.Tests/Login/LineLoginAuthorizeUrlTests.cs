using LinkFunctions.Login;
using Microsoft.AspNetCore.WebUtilities;

namespace LinkFunctions.Tests.Login;

public class LineLoginAuthorizeUrlTests
{
    private static Dictionary<string, string?> Query(string botPrompt, string accessBase = "https://access.line.me")
    {
        var url = LineLoginAuthorizeUrl.Build(
            new Uri(accessBase), "2000000001", new Uri("https://link.example.com/api/login/line/callback?x=a b"), "st&ate", "no nce", "challenge", botPrompt);
        Assert.Equal($"{accessBase.TrimEnd('/')}/oauth2/v2.1/authorize", url.GetLeftPart(UriPartial.Path));
        return QueryHelpers.ParseQuery(url.Query).ToDictionary(p => p.Key, p => (string?)p.Value.Single());
    }

    [Fact]
    public void Build_Values_AreEscapedAndRoundTrip()
    {
        var query = Query("aggressive");

        Assert.Equal("code", query["response_type"]);
        Assert.Equal("https://link.example.com/api/login/line/callback?x=a%20b", query["redirect_uri"]);
        Assert.Equal("st&ate", query["state"]);
        Assert.Equal("no nce", query["nonce"]);
        Assert.Equal("openid profile", query["scope"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal("consent", query["prompt"]);
        Assert.Equal("aggressive", query["bot_prompt"]);
        Assert.False(query.ContainsKey("response_mode"));
    }

    [Fact]
    public void Build_BotPromptNone_OmitsBotPrompt()
    {
        Assert.False(Query("none").ContainsKey("bot_prompt"));
    }

    [Fact]
    public void Build_AccessBaseWithPath_KeepsThePath()
    {
        Assert.Equal("2000000001", Query("normal", "http://127.0.0.1:9000/line-sim/")["client_id"]);
    }
}
