using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LinkFunctions.LineApi;

/// <summary>LINE Login's token response; extra or reordered properties are tolerated.</summary>
public sealed record LineLoginTokens(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("expires_in")] long ExpiresIn,
    [property: JsonPropertyName("id_token")] string? IdToken,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("scope")] string? Scope,
    [property: JsonPropertyName("token_type")] string? TokenType);

/// <summary>LINE Login v2.1's token endpoint (<c>{Line__ApiBaseUrl}/oauth2/v2.1/token</c>).</summary>
public class LineLoginTokenClient(HttpClient http)
{
    public const string HttpClientName = "line-login";

    /// <summary>
    /// Never retried: an authorization code is single use "regardless of whether or not an access token is
    /// successfully issued", so a retry after a lost answer could only fail.
    /// </summary>
    public virtual Task<LineLoginTokens> ExchangeCodeAsync(
        string code, Uri redirectUri, string channelId, string channelSecret, string codeVerifier, CancellationToken cancellationToken) =>
        RequestTokensAsync(
        [
            new("grant_type", "authorization_code"),
            new("code", code),
            new("redirect_uri", redirectUri.AbsoluteUri),
            new("client_id", channelId),
            new("client_secret", channelSecret),
            new("code_verifier", codeVerifier),
        ],
        cancellationToken);

    /// <summary>
    /// A new access token from a refresh token, which LINE honours for 90 days after the access token was issued.
    /// Not retried either: LINE may rotate the refresh token, so a lost answer can leave only a spent one.
    /// </summary>
    public virtual Task<LineLoginTokens> RefreshAsync(string refreshToken, string channelId, string channelSecret, CancellationToken cancellationToken) =>
        RequestTokensAsync(
        [
            new("grant_type", "refresh_token"),
            new("refresh_token", refreshToken),
            new("client_id", channelId),
            new("client_secret", channelSecret),
        ],
        cancellationToken);

    private async Task<LineLoginTokens> RequestTokensAsync(KeyValuePair<string, string>[] form, CancellationToken cancellationToken)
    {
        using var request = LineRequest.Create(HttpMethod.Post, "oauth2/v2.1/token", "login token", retry: false);
        request.Content = new FormUrlEncodedContent(form);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new LineApiException("login token", response.StatusCode, LineRequest.RequestId(response));
            }

            return await response.Content.ReadFromJsonAsync(LineLoginJsonContext.Default.LineLoginTokens, cancellationToken)
                ?? throw new LineApiException("login token", response.StatusCode, LineRequest.RequestId(response));
        }
        catch (Exception ex) when (ex is HttpRequestException or Polly.ExecutionRejectedException or JsonException)
        {
            throw new LineApiException("login token", null, null, ex);
        }
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(LineLoginTokens))]
public sealed partial class LineLoginJsonContext : JsonSerializerContext;
