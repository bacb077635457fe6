using LinkFunctions.Hosting;
using LinkFunctions.Storage;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Linking;

public sealed record AccountLinkRedirect(Uri RedirectUrl, DateTimeOffset ExpiresAt);

/// <summary>
/// Step 4 of LINE's account linking: a fresh nonce, bound to the service user and to the LINE user the link token
/// was issued for, then LINE's accountLink endpoint.
/// </summary>
public sealed class AccountLinkRedirectService(
    ITransientRepository transient, ProviderKey provider, IOptions<LineOptions> line, TimeProvider time)
{
    /// <summary>Null when the link token is unknown or expired (we issued no such token, or too long ago).</summary>
    public async Task<AccountLinkRedirect?> CreateAsync(string linkToken, string serviceUserId, CancellationToken cancellationToken)
    {
        var binding = await transient.ReadLinkTokenAsync(provider.LinkToken(linkToken), cancellationToken);
        var now = time.GetUtcNow();
        if (binding is null || now >= binding.Document.ExpiresAt)
        {
            return null;
        }

        var nonce = Nonce.Create();
        var expiresAt = now + LinkingPolicy.NonceLifetime;
        var created = await transient.CreateNonceAsync(
            new NonceDocument
            {
                Id = provider.Nonce(nonce),
                ServiceUserId = serviceUserId,
                ExpectedLineUserId = binding.Document.LineUserId,
                ExpiresAt = expiresAt,
                Status = NonceStates.Pending,
                Ttl = LinkingPolicy.CleanupTtl(LinkingPolicy.NonceLifetime + LinkingPolicy.DedupeWindow),
            },
            cancellationToken);
        if (created != WriteOutcome.Ok)
        {
            throw new StorageException("nonce create", 409);
        }

        return new AccountLinkRedirect(AccountLinkUrl(line.Value.AccessBaseUrl, linkToken, nonce), expiresAt);
    }

    public static Uri AccountLinkUrl(Uri accessBaseUrl, string linkToken, string nonce)
    {
        var endpoint = $"{accessBaseUrl.AbsoluteUri.TrimEnd('/')}/dialog/bot/accountLink";
        return new Uri(QueryHelpers.AddQueryString(QueryHelpers.AddQueryString(endpoint, "linkToken", linkToken), "nonce", nonce));
    }
}
