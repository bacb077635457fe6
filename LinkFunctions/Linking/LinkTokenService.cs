using LinkFunctions.Hosting;
using LinkFunctions.LineApi;
using LinkFunctions.Storage;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Linking;

public sealed record IssuedLinkToken(string LinkToken, Uri LinkUrl, DateTimeOffset ExpiresAt);

/// <summary>
/// Issues a LINE link token and binds it to its LINE user, so that a nonce made for this token can later be
/// checked against the LINE user who completes the dialog.
/// </summary>
public sealed class LinkTokenService(
    LineMessagingClient line, ITransientRepository transient, ProviderKey provider, IOptions<LinkingOptions> options, TimeProvider time)
{
    public async Task<IssuedLinkToken> IssueAsync(string lineUserId, CancellationToken cancellationToken)
    {
        var linkToken = await line.IssueLinkTokenAsync(lineUserId, cancellationToken);
        if (!Identifiers.IsLinkToken(linkToken))
        {
            // Our own /api/link would refuse it, so fail here where the cause is visible.
            throw new LineApiException("issue link token (unexpected token format)", System.Net.HttpStatusCode.OK, null);
        }

        var expiresAt = time.GetUtcNow() + LinkingPolicy.LinkTokenLifetime;
        await transient.SaveLinkTokenAsync(
            new LinkTokenDocument
            {
                Id = provider.LinkToken(linkToken),
                LineUserId = lineUserId,
                ExpiresAt = expiresAt,
                Ttl = LinkingPolicy.CleanupTtl(LinkingPolicy.LinkTokenLifetime),
            },
            cancellationToken);
        return new IssuedLinkToken(linkToken, LinkUrl(linkToken), expiresAt);
    }

    /// <summary>The linking message for <paramref name="issued"/>; it names the unlink keyword, as LINE requires.</summary>
    public IReadOnlyList<TextMessage> Prompt(IssuedLinkToken issued) => LinkMessages.Prompt(issued.LinkUrl, options.Value.UnlinkKeyword);

    private Uri LinkUrl(string linkToken)
    {
        var baseUrl = options.Value.PublicBaseUrl!.AbsoluteUri.TrimEnd('/');
        return new Uri(QueryHelpers.AddQueryString($"{baseUrl}/api/link", "linkToken", linkToken));
    }
}
