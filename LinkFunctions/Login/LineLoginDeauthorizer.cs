using LinkFunctions.Hosting;
using LinkFunctions.LineApi;
using LinkFunctions.Linking;
using LinkFunctions.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Login;

/// <summary>
/// LINE Login's deauthorize on unlink and erasure, with the grant the callback stored: the access token while it lives
/// (30 days), else one refreshed with the refresh token, which LINE honours for 90 days after the access token was
/// issued. Past that nothing can withdraw the consent any more; the user can still remove it in LINE (Settings ›
/// Account › Authorized apps). A failure is recorded (an audit entry, a metric, a Warning with hashed IDs) and the
/// grant is kept, so that an erasure later tries again; it never fails the unlink.
/// </summary>
public sealed partial class LineLoginDeauthorizer(
    ILineLoginStore store, LoginTokenProtector protector, LineLoginTokenClient tokens, LineLoginDeauthorizeClient line,
    ILineLoginChannelSecret secret, IAuditLog audit, ProviderKey provider, IOptions<LineLoginOptions> options, TimeProvider time,
    ILogger<LineLoginDeauthorizer> logger, LinkMetrics? metrics = null) : ILineGrantRevoker
{
    public const string FailedAction = "deauthorize-failed";

    /// <summary>LINE: a refresh token is valid for 90 days after the access token was issued.</summary>
    public static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromDays(90);

    /// <summary>An access token this close to expiry is refreshed first: the deauthorize call could outlive it.</summary>
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromMinutes(1);

    public bool MayHoldGrant(string method) => method == LoginPolicy.Method;

    public async Task<GrantRevocation> RevokeAsync(string lineUserId, string? linkId, CancellationToken cancellationToken)
    {
        var id = provider.Grant(lineUserId);
        var stored = await store.ReadGrantAsync(id, cancellationToken);
        if (stored is null || (linkId is not null && stored.Document.LinkId != linkId))
        {
            return GrantRevocation.NoGrant;
        }

        var grant = stored.Document;
        try
        {
            var result = await DeauthorizeAsync(grant, cancellationToken);
            await store.DeleteGrantAsync(id, stored.ETag, cancellationToken);
            var outcome = result == DeauthorizeResult.Deauthorized ? "deauthorized" : "invalid_token";
            metrics?.GrantDeauthorized(outcome);
            LogRevoked(logger, LogIds.Hash(grant.ServiceUserId), LogIds.Hash(lineUserId), outcome);
            return GrantRevocation.Revoked;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var detail = ex is GrantUnusableException ? ex.Message : SafeError.Describe(ex);
            metrics?.GrantDeauthorized("failed");
            LogFailed(logger, LogIds.Hash(grant.ServiceUserId), LogIds.Hash(lineUserId), detail);
            await RecordFailureAsync(grant, detail, cancellationToken);
            return GrantRevocation.Failed;
        }
    }

    private async Task<DeauthorizeResult> DeauthorizeAsync(LineLoginGrantDocument grant, CancellationToken cancellationToken)
    {
        var login = options.Value;
        if (!login.Enabled)
        {
            throw new GrantUnusableException("LineLogin__ChannelId is not set, so the grant's channel cannot be asked");
        }

        var channelSecret = await secret.GetAsync(cancellationToken);
        var now = time.GetUtcNow();
        string accessToken;
        if (grant.AccessToken is { } access && grant.AccessTokenExpiresAt > now + ExpiryMargin)
        {
            accessToken = await protector.UnwrapAsync(access, grant.Id, cancellationToken);
        }
        else if (grant.RefreshToken is { } refresh && now < grant.IssuedAt + RefreshTokenLifetime)
        {
            var refreshed = await tokens.RefreshAsync(await protector.UnwrapAsync(refresh, grant.Id, cancellationToken), login.ChannelId!, channelSecret, cancellationToken);
            accessToken = refreshed.AccessToken ?? throw new LineApiException("login token (no access_token)", System.Net.HttpStatusCode.OK, null);
        }
        else
        {
            throw new GrantUnusableException("the stored grant has expired (access token, and the 90-day refresh token)");
        }

        return await line.DeauthorizeAsync(accessToken, login.ChannelId!, channelSecret, cancellationToken);
    }

    private async Task RecordFailureAsync(LineLoginGrantDocument grant, string detail, CancellationToken cancellationToken)
    {
        try
        {
            await audit.AppendAsync(
                AuditEntry.For(
                    provider, grant.ServiceUserId, grant.LineUserId, $"{FailedAction}:{ProviderKey.Sha256Hex(grant.LinkId)}", FailedAction,
                    LoginPolicy.Method, time.GetUtcNow(), grant.LinkId, detail),
                cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogAuditFailed(logger, SafeError.Describe(ex));
        }
    }

    /// <summary>Our own, fixed and log-safe reasons why a grant cannot be used.</summary>
    private sealed class GrantUnusableException(string message) : Exception(message);

    [LoggerMessage(Level = LogLevel.Information, Message = "LINE Login grant of service user {ServiceUserHash}, LINE user {LineUserHash} withdrawn ({Outcome}).")]
    private static partial void LogRevoked(ILogger logger, string serviceUserHash, string lineUserHash, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LINE Login deauthorize failed for service user {ServiceUserHash}, LINE user {LineUserHash}: {Detail}. The grant is kept for a later erasure.")]
    private static partial void LogFailed(ILogger logger, string serviceUserHash, string lineUserHash, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deauthorize failure not audited: {Error}.")]
    private static partial void LogAuditFailed(ILogger logger, string error);
}
