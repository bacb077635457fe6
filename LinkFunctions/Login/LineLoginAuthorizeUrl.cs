using Microsoft.AspNetCore.WebUtilities;

namespace LinkFunctions.Login;

/// <summary>LINE Login v2.1's authorization request, built with a query builder.</summary>
public static class LineLoginAuthorizeUrl
{
    public const string Scope = "openid profile";

    /// <summary>
    /// <c>prompt=consent</c> makes LINE show its consent screen every time, so a link that a third party got the
    /// user to open cannot complete silently; <c>response_mode</c> is left to its default, <c>query</c>, because the
    /// browser-binding cookie is SameSite=Lax and a cross-site form_post would not carry it.
    /// </summary>
    public static Uri Build(
        Uri accessBaseUrl, string channelId, Uri redirectUri, string state, string nonce, string codeChallenge, string botPrompt)
    {
        var query = new List<KeyValuePair<string, string?>>
        {
            new("response_type", "code"),
            new("client_id", channelId),
            new("redirect_uri", redirectUri.AbsoluteUri),
            new("state", state),
            new("scope", Scope),
            new("nonce", nonce),
            new("code_challenge", codeChallenge),
            new("code_challenge_method", "S256"),
            new("prompt", "consent"),
        };
        if (botPrompt != "none")
        {
            query.Add(new("bot_prompt", botPrompt));
        }

        return new Uri(QueryHelpers.AddQueryString($"{accessBaseUrl.AbsoluteUri.TrimEnd('/')}/oauth2/v2.1/authorize", query));
    }
}
