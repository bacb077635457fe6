using Microsoft.IdentityModel.Tokens;

namespace LinkFunctions.LineApi;

/// <summary>GET /oauth2/v2.1/certs: the public keys LINE signs ES256 ID tokens (LIFF, LINE SDK) with.</summary>
public class LineJwksClient(HttpClient http)
{
    public const string HttpClientName = "line-jwks";

    /// <summary>A JWKS is a few hundred bytes; anything far larger is not LINE's.</summary>
    public const int MaxResponseBytes = 64 * 1024;

    private const string Endpoint = "JWKS";

    public virtual async Task<JsonWebKeySet> GetAsync(CancellationToken cancellationToken)
    {
        using var request = LineRequest.Create(HttpMethod.Get, "oauth2/v2.1/certs", Endpoint);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or Polly.ExecutionRejectedException)
        {
            throw new LineApiException(Endpoint, null, null, ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new LineApiException(Endpoint, response.StatusCode, LineRequest.RequestId(response));
            }

            try
            {
                return new JsonWebKeySet(await response.Content.ReadAsStringAsync(cancellationToken));
            }
            catch (Exception ex) when (ex is ArgumentException or HttpRequestException or System.Text.Json.JsonException)
            {
                // Not a JWKS, or over the size cap: as unusable as no answer.
                throw new LineApiException(Endpoint, response.StatusCode, LineRequest.RequestId(response), ex);
            }
        }
    }
}
