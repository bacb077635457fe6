using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LinkFunctions.LineApi;

public enum DeauthorizeResult
{
    /// <summary>204: LINE withdrew the user's consent to the LINE Login channel.</summary>
    Deauthorized,

    /// <summary>400 <c>invalid token</c>: already deauthorized, or the token was revoked or expired; nothing left to withdraw with it.</summary>
    InvalidToken,
}

public sealed record DeauthorizeRequest([property: JsonPropertyName("userAccessToken")] string UserAccessToken);

/// <summary>
/// <c>POST /user/v1/deauthorize</c>, which LINE requires when a user unlinks or leaves: it takes the user's access
/// token in the body and a channel access token of the LINE Login channel (not the Messaging API one) as bearer.
/// That channel token is a stateless one issued for this call, since deauthorize is rare and it lives 15 minutes.
/// </summary>
public class LineLoginDeauthorizeClient(HttpClient http)
{
    public const string HttpClientName = "line-deauthorize";

    public virtual async Task<DeauthorizeResult> DeauthorizeAsync(
        string userAccessToken, string channelId, string channelSecret, CancellationToken cancellationToken)
    {
        var channelToken = await IssueChannelTokenAsync(channelId, channelSecret, cancellationToken);
        using var request = LineRequest.Create(HttpMethod.Post, "user/v1/deauthorize", "deauthorize");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", channelToken);
        request.Content = JsonContent.Create(new DeauthorizeRequest(userAccessToken), LineDeauthorizeJsonContext.Default.DeauthorizeRequest);
        using var response = await SendAsync(request, "deauthorize", cancellationToken);
        return response.StatusCode switch
        {
            HttpStatusCode.NoContent or HttpStatusCode.OK => DeauthorizeResult.Deauthorized,
            HttpStatusCode.BadRequest => DeauthorizeResult.InvalidToken,
            _ => throw new LineApiException("deauthorize", response.StatusCode, LineRequest.RequestId(response)),
        };
    }

    private async Task<string> IssueChannelTokenAsync(string channelId, string channelSecret, CancellationToken cancellationToken)
    {
        using var request = LineRequest.Create(HttpMethod.Post, "oauth2/v3/token", "login channel token");
        request.Content = new FormUrlEncodedContent(
        [
            new("grant_type", "client_credentials"),
            new("client_id", channelId),
            new("client_secret", channelSecret),
        ]);
        using var response = await SendAsync(request, "login channel token", cancellationToken);
        ChannelAccessTokenResponse? body = null;
        if (response.IsSuccessStatusCode)
        {
            try
            {
                body = await response.Content.ReadFromJsonAsync(LineJsonContext.Default.ChannelAccessTokenResponse, cancellationToken);
            }
            catch (JsonException)
            {
                body = null;
            }
        }

        return body?.AccessToken is { Length: > 0 } token
            ? token
            : throw new LineApiException("login channel token", response.StatusCode, LineRequest.RequestId(response));
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string endpoint, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or Polly.ExecutionRejectedException)
        {
            throw new LineApiException(endpoint, null, null, ex);
        }
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(DeauthorizeRequest))]
public sealed partial class LineDeauthorizeJsonContext : JsonSerializerContext;
