using LinkFunctions.Hosting;
using LinkFunctions.LineApi;
using LinkFunctions.Storage;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Linking;

public enum AccountLinkRedirectStatus
{
    /// <summary>The LINE dialog URL: a fresh nonce, or the one this service user was given before.</summary>
    Ready,

    /// <summary>We issued no such link token, or too long ago.</summary>
    UnknownLinkToken,

    /// <summary>Another service user claimed the link token first.</summary>
    Claimed,
}

public sealed record AccountLinkRedirect(AccountLinkRedirectStatus Status, Uri? RedirectUrl = null, DateTimeOffset ExpiresAt = default)
{
    public static readonly AccountLinkRedirect UnknownLinkToken = new(AccountLinkRedirectStatus.UnknownLinkToken);
    public static readonly AccountLinkRedirect Claimed = new(AccountLinkRedirectStatus.Claimed);
}

/// <summary>
/// Step 4 of LINE's account linking: a nonce, bound to the service user and to the LINE user the link token was
/// issued for, then LINE's accountLink endpoint. A link token belongs to the first service user who claims it:
/// LINE only checks that the person in the dialog owns the token, so without the claim anyone who saw a token
/// (a forwarded message, a link-preview bot, a Referer) could bind its owner to their own account.
/// </summary>
public sealed partial class AccountLinkRedirectService(
    ITransientRepository transient, ProviderKey provider, IOptions<LineOptions> line, TimeProvider time,
    ILogger<AccountLinkRedirectService> logger)
{
    public async Task<AccountLinkRedirect> CreateAsync(string linkToken, string serviceUserId, CancellationToken cancellationToken)
    {
        var binding = await transient.ReadLinkTokenAsync(provider.LinkToken(linkToken), cancellationToken);
        if (binding is null || time.GetUtcNow() >= binding.Document.ExpiresAt)
        {
            return AccountLinkRedirect.UnknownLinkToken;
        }

        var claimId = provider.LinkClaim(linkToken);
        var claim = (await transient.ReadLinkClaimAsync(claimId, cancellationToken))?.Document
            ?? await ClaimAsync(claimId, linkToken, serviceUserId, binding.Document, cancellationToken);
        return Decide(claim, linkToken, serviceUserId, binding.Document.LineUserId);
    }

    public static Uri AccountLinkUrl(Uri accessBaseUrl, string linkToken, string nonce)
    {
        var endpoint = $"{accessBaseUrl.AbsoluteUri.TrimEnd('/')}/dialog/bot/accountLink";
        return new Uri(QueryHelpers.AddQueryString(QueryHelpers.AddQueryString(endpoint, "linkToken", linkToken), "nonce", nonce));
    }

    /// <summary>The claim that holds after this request: ours, or the one that beat us to the create.</summary>
    private async Task<LinkClaimDocument> ClaimAsync(
        string claimId, string linkToken, string serviceUserId, LinkTokenDocument binding, CancellationToken cancellationToken)
    {
        // The nonce document first: a claim must never name a nonce that does not exist. If the claim then loses a
        // race, this nonce was never handed out, stays pending unseen and is collected by its ttl.
        var nonce = Nonce.Create();
        var nonceExpiresAt = time.GetUtcNow() + LinkingPolicy.NonceLifetime;
        var created = await transient.CreateNonceAsync(
            new NonceDocument
            {
                Id = provider.Nonce(nonce),
                ServiceUserId = serviceUserId,
                ExpectedLineUserId = binding.LineUserId,
                ExpiresAt = nonceExpiresAt,
                Status = NonceStates.Pending,
                Ttl = LinkingPolicy.CleanupTtl(LinkingPolicy.NonceLifetime + LinkingPolicy.DedupeWindow),
            },
            cancellationToken);
        if (created != WriteOutcome.Ok)
        {
            throw new StorageException("nonce create", 409);
        }

        var claim = new LinkClaimDocument
        {
            Id = claimId,
            ServiceUserId = serviceUserId,
            Nonce = nonce,
            NonceExpiresAt = nonceExpiresAt,
            ExpiresAt = binding.ExpiresAt,
            Ttl = LinkingPolicy.CleanupTtl(LinkingPolicy.LinkTokenLifetime),
        };
        if (await transient.CreateLinkClaimAsync(claim, cancellationToken) == WriteOutcome.Ok)
        {
            return claim;
        }

        // Another request claimed the token between our read and our create: its claim decides.
        return (await transient.ReadLinkClaimAsync(claimId, cancellationToken))?.Document
            ?? throw new StorageException("link claim read after conflict", 404);
    }

    private AccountLinkRedirect Decide(LinkClaimDocument claim, string linkToken, string serviceUserId, string lineUserId)
    {
        if (!string.Equals(claim.ServiceUserId, serviceUserId, StringComparison.Ordinal))
        {
            LogClaimed(logger, LogIds.Hash(lineUserId), LogIds.Hash(claim.ServiceUserId), LogIds.Hash(serviceUserId));
            return AccountLinkRedirect.Claimed;
        }

        // Never send a user to LINE with a nonce the accountLink event would reject; they start again instead.
        return time.GetUtcNow() >= claim.NonceExpiresAt
            ? AccountLinkRedirect.UnknownLinkToken
            : new AccountLinkRedirect(AccountLinkRedirectStatus.Ready, AccountLinkUrl(line.Value.AccessBaseUrl, linkToken, claim.Nonce), claim.NonceExpiresAt);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Link token of LINE user {LineUserHash} already claimed by service user {ClaimantHash}; refused service user {ServiceUserHash}.")]
    private static partial void LogClaimed(ILogger logger, string lineUserHash, string claimantHash, string serviceUserHash);
}
