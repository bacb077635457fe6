using LinkFunctions.Hosting;
using LinkFunctions.LineApi;
using LinkFunctions.Linking;
using LinkFunctions.Storage;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Login;

/// <summary>A started login: where to send the browser, and the browser-binding cookie value to set first.</summary>
public sealed record LineLoginStart(Uri AuthorizeUrl, string BrowserBinding, DateTimeOffset ExpiresAt);

public sealed record LineLoginSession(Uri StartUrl, DateTimeOffset ExpiresAt);

/// <summary>
/// Starts LINE Login for a known service user: fresh state, nonce and PKCE verifier (each 256 bits from the
/// CSPRNG), a state document bound to the user, the returnUrl and the browser, then LINE's authorize URL.
/// </summary>
public sealed class LineLoginStartService(
    ILineLoginStore store, ProviderKey provider, IOptions<LineLoginOptions> login, IOptions<LineOptions> line,
    IOptions<LinkingOptions> linking, TimeProvider time)
{
    /// <summary>Delegated mode: a single-use startUrl for the service's signed-in user.</summary>
    public async Task<LineLoginSession> CreateSessionAsync(string serviceUserId, Uri returnUrl, CancellationToken cancellationToken)
    {
        var session = Nonce.Create();
        var expiresAt = time.GetUtcNow() + LoginPolicy.SessionLifetime;
        var created = await store.CreateSessionAsync(
            new LoginSessionDocument
            {
                Id = provider.Session(session),
                ServiceUserId = serviceUserId,
                ReturnUrl = returnUrl.AbsoluteUri,
                ExpiresAt = expiresAt,
                Ttl = LinkingPolicy.CleanupTtl(LoginPolicy.SessionLifetime),
            },
            cancellationToken);
        if (created != WriteOutcome.Ok)
        {
            throw new StorageException("login session create", 409);
        }

        var startUrl = QueryHelpers.AddQueryString($"{linking.Value.PublicBaseUrl!.AbsoluteUri.TrimEnd('/')}/api/login/line", "session", session);
        return new LineLoginSession(new Uri(startUrl), expiresAt);
    }

    /// <summary>Null when the session is unknown, expired or already opened: whoever opens it first binds their browser.</summary>
    public async Task<LineLoginStart?> StartFromSessionAsync(string session, CancellationToken cancellationToken)
    {
        var id = provider.Session(session);
        var stored = await store.ReadSessionAsync(id, cancellationToken);
        if (stored is null || time.GetUtcNow() >= stored.Document.ExpiresAt)
        {
            return null;
        }

        // If-Match: of two browsers racing on the same startUrl, exactly one deletes it.
        if (await store.DeleteTransientAsync(id, stored.ETag, cancellationToken) != WriteOutcome.Ok)
        {
            return null;
        }

        return await StartAsync(stored.Document.ServiceUserId, new Uri(stored.Document.ReturnUrl), cancellationToken);
    }

    public async Task<LineLoginStart> StartAsync(string serviceUserId, Uri returnUrl, CancellationToken cancellationToken)
    {
        var state = Nonce.Create();
        var nonce = Nonce.Create();
        var verifier = Pkce.CreateVerifier();
        var browserBinding = Nonce.Create();
        var expiresAt = time.GetUtcNow() + LoginPolicy.StateLifetime;
        var created = await store.CreateStateAsync(
            new LoginStateDocument
            {
                Id = provider.State(state),
                ServiceUserId = serviceUserId,
                ReturnUrl = returnUrl.AbsoluteUri,
                NonceHash = LoginHash.Of(nonce),
                BrowserBindingHash = LoginHash.Of(browserBinding),
                CodeVerifier = verifier,
                ExpiresAt = expiresAt,
                Ttl = LinkingPolicy.CleanupTtl(LoginPolicy.StateLifetime),
            },
            cancellationToken);
        if (created != WriteOutcome.Ok)
        {
            throw new StorageException("login state create", 409);
        }

        var options = login.Value;
        var authorize = LineLoginAuthorizeUrl.Build(
            line.Value.AccessBaseUrl, options.ChannelId!, CallbackUrl(options, linking.Value), state, nonce, Pkce.Challenge(verifier), options.BotPrompt);
        return new LineLoginStart(authorize, browserBinding, expiresAt);
    }

    public static Uri CallbackUrl(LineLoginOptions login, LinkingOptions linking) =>
        login.CallbackUrl ?? new Uri($"{linking.PublicBaseUrl!.AbsoluteUri.TrimEnd('/')}/api/login/line/callback");
}
