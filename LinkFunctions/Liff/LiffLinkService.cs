using LinkFunctions.Linking;
using LinkFunctions.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Liff;

public enum LiffLinkStatus
{
    Linked,

    /// <summary>Any failed check: signature, algorithm, key, issuer, audience, lifetime, age, subject, or a replay.</summary>
    InvalidIdToken,

    /// <summary>A newer link already holds one side; nothing changed.</summary>
    Superseded,
}

public sealed record LiffLinkResult(LiffLinkStatus Status, LinkView? Link = null);

/// <summary>
/// Links the LINE user a verified LIFF ID token names to a service user whom the caller vouches for (function key or
/// Easy Auth). The token is marked used before the link is written, so two concurrent presentations link once.
/// </summary>
public sealed partial class LiffLinkService(
    LiffIdTokenVerifier verifier, ILiffIdTokenStore used, LinkWriter writer, IAuditLog audit, ProviderKey provider,
    IOptions<LiffOptions> options, TimeProvider time, ILogger<LiffLinkService> logger)
{
    public const string Method = "liff";

    public bool IsConfigured => options.Value.IsConfigured;

    public async Task<LiffLinkResult> LinkAsync(string idToken, string serviceUserId, CancellationToken cancellationToken)
    {
        var token = await verifier.VerifyAsync(idToken, cancellationToken);
        if (token is null)
        {
            return new LiffLinkResult(LiffLinkStatus.InvalidIdToken);
        }

        try
        {
            // Inside the try: a mark that Cosmos stored but whose answer was lost must be undone like a failed link,
            // or the token would be spent without its link and the LIFF app's retry refused as a replay.
            if (!await used.TryMarkUsedAsync(token.UseKey, token.ExpiresAt, cancellationToken))
            {
                LogReplay(logger, LogIds.Hash(token.LineUserId));
                return new LiffLinkResult(LiffLinkStatus.InvalidIdToken);
            }

            return await WriteAsync(token, serviceUserId, cancellationToken);
        }
        catch
        {
            // The linkId comes from the token, so a retry after a partial write converges on the same link.
            await ForgetAsync(token.UseKey);
            throw;
        }
    }

    private async Task<LiffLinkResult> WriteAsync(LiffIdToken token, string serviceUserId, CancellationToken cancellationToken)
    {
        var linkedAt = time.GetUtcNow();
        var linkId = ProviderKey.Sha256Hex(token.UseKey);
        var written = await writer.WriteAsync(
            new LinkRequest(token.LineUserId, serviceUserId, linkId, linkedAt.ToUnixTimeMilliseconds(), Method, linkedAt), cancellationToken);
        var action = written == LinkWriteResult.Linked ? "linked" : "superseded";
        await audit.AppendAsync(
            AuditEntry.For(provider, serviceUserId, token.LineUserId, $"liff:{linkId}:{action}", action, Method, linkedAt, linkId),
            cancellationToken);
        LogLinked(logger, LogIds.Hash(serviceUserId), LogIds.Hash(token.LineUserId), written);
        return written == LinkWriteResult.Linked
            ? new LiffLinkResult(LiffLinkStatus.Linked, new LinkView(serviceUserId, token.LineUserId, Method, linkedAt, linkId))
            : new LiffLinkResult(LiffLinkStatus.Superseded);
    }

    private async Task ForgetAsync(string useKey)
    {
        try
        {
            // Not the request's token: an aborted request is exactly when the mark must still go.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await used.ForgetAsync(useKey, timeout.Token);
        }
        catch (Exception ex)
        {
            LogForgetFailed(logger, Hosting.SafeError.Describe(ex));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "LIFF ID token presented again (LINE user {LineUserHash}).")]
    private static partial void LogReplay(ILogger logger, string lineUserHash);

    [LoggerMessage(Level = LogLevel.Information, Message = "LIFF link for service user {ServiceUserHash} and LINE user {LineUserHash}: {Result}.")]
    private static partial void LogLinked(ILogger logger, string serviceUserHash, string lineUserHash, LinkWriteResult result);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not undo a LIFF ID token's use mark after a failed link: {Reason}")]
    private static partial void LogForgetFailed(ILogger logger, string reason);
}
