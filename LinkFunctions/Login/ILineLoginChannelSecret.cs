namespace LinkFunctions.Login;

/// <summary>
/// The LINE Login channel secret: the HS256 key of web-login ID tokens and the token request's client_secret.
/// Kept as a small seam so that it can be served by the shared channel-secret cache later.
/// </summary>
public interface ILineLoginChannelSecret
{
    ValueTask<string> GetAsync(CancellationToken cancellationToken);
}
