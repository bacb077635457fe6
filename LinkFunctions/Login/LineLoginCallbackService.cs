using LinkFunctions.Hosting;
using LinkFunctions.LineApi;
using LinkFunctions.Linking;
using LinkFunctions.Storage;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Login;

/// <summary>The callback's query as LINE sends it; every value is untrusted.</summary>
public sealed record LineLoginCallbackQuery(string? State, string? Code, string? Error, string? FriendshipStatusChanged);

public enum LoginPage
{
    /// <summary>Unknown, expired or spent state: nothing from the query may be redirected to.</summary>
    InvalidState,

    /// <summary>The state is fine but this browser did not start the login (LINE handed over to another browser).</summary>
    BrowserMismatch,
}

/// <summary>Either a redirect to the stored returnUrl with <c>result</c>, or a page of our own.</summary>
public sealed record LineLoginCallbackResult(Uri? RedirectUrl, LoginPage? Page, bool ClearCookie)
{
    public static LineLoginCallbackResult Show(LoginPage page) => new(null, page, false);
}

/// <summary>
/// LINE Login's callback. The state must exist, be unexpired and belong to this browser; it is then spent with a
/// conditional delete, so it completes at most once. Everything after that ends in a redirect to the state's own
/// returnUrl with <c>result</c> = linked, cancelled or failed; nothing from the query is ever redirected to.
/// </summary>
public sealed partial class LineLoginCallbackService(
    ILineLoginStore store, LineLoginTokenClient tokens, ILineLoginChannelSecret secret, LineLoginIdTokenValidator idTokens,
    LoginTokenProtector protector, LinkWriter writer, IAuditLog audit, ProviderKey provider,
    IOptions<LineLoginOptions> login, IOptions<LinkingOptions> linking, TimeProvider time, ILogger<LineLoginCallbackService> logger)
{
    private sealed record Outcome(string Result, string? Reason, string? LineUserId = null, string? LinkId = null);

    public async Task<LineLoginCallbackResult> CompleteAsync(LineLoginCallbackQuery query, string? browserBinding, CancellationToken cancellationToken)
    {
        if (!Identifiers.IsNonce(query.State))
        {
            LogRefused(logger, "missing or malformed state");
            return LineLoginCallbackResult.Show(LoginPage.InvalidState);
        }

        var id = provider.State(query.State!);
        var stored = await store.ReadStateAsync(id, cancellationToken);
        if (stored is null || time.GetUtcNow() >= stored.Document.ExpiresAt)
        {
            LogRefused(logger, "unknown, spent or expired state");
            return LineLoginCallbackResult.Show(LoginPage.InvalidState);
        }

        if (!LoginHash.Matches(browserBinding, stored.Document.BrowserBindingHash))
        {
            // Not consumed: the browser that started the login can still finish it, and this one learns nothing.
            LogRefused(logger, browserBinding is null ? "no browser-binding cookie" : "another browser's cookie");
            return LineLoginCallbackResult.Show(LoginPage.BrowserMismatch);
        }

        if (await store.DeleteTransientAsync(id, stored.ETag, cancellationToken) != WriteOutcome.Ok)
        {
            LogRefused(logger, "state spent by a concurrent callback");
            return new LineLoginCallbackResult(null, LoginPage.InvalidState, ClearCookie: true);
        }

        var state = stored.Document;
        Outcome outcome;
        try
        {
            outcome = await FinishAsync(state, query, ProviderKey.Sha256Hex(query.State!), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The state is spent: whatever failed (LINE, Key Vault, Cosmos), the user goes back with "failed".
            outcome = new Outcome(LoginResults.Failed, SafeError.Describe(ex));
        }

        await AuditAsync(state, query, outcome, cancellationToken);
        var returnUrl = QueryHelpers.AddQueryString(state.ReturnUrl, LoginResults.Parameter, outcome.Result);
        return new LineLoginCallbackResult(new Uri(returnUrl), null, ClearCookie: true);
    }

    private async Task<Outcome> FinishAsync(LoginStateDocument state, LineLoginCallbackQuery query, string linkId, CancellationToken cancellationToken)
    {
        if (query.Error is { } error)
        {
            // Current docs use ACCESS_DENIED, older ones access_denied.
            return string.Equals(error, "ACCESS_DENIED", StringComparison.OrdinalIgnoreCase)
                ? new Outcome(LoginResults.Cancelled, "user cancelled")
                : new Outcome(LoginResults.Failed, "LINE error " + (error.Length <= 32 && error.All(c => char.IsAsciiLetter(c) || c == '_') ? error : "(unrecognised)"));
        }

        if (string.IsNullOrEmpty(query.Code))
        {
            return new Outcome(LoginResults.Failed, "no code");
        }

        var options = login.Value;
        var channelSecret = await secret.GetAsync(cancellationToken);
        var issued = await tokens.ExchangeCodeAsync(
            query.Code, LineLoginStartService.CallbackUrl(options, linking.Value), options.ChannelId!, channelSecret, state.CodeVerifier, cancellationToken);
        if (issued.IdToken is null)
        {
            return new Outcome(LoginResults.Failed, "no id_token (is the openid scope enabled?)");
        }

        var check = await idTokens.ValidateAsync(issued.IdToken, channelSecret, options.ChannelId!, state.NonceHash);
        if (!check.Valid)
        {
            return new Outcome(LoginResults.Failed, "ID token refused: " + check.Problem);
        }

        if (!Identifiers.IsLineUserId(check.Subject))
        {
            return new Outcome(LoginResults.Failed, "sub is not a LINE user ID");
        }

        var lineUserId = check.Subject!;
        await SaveGrantAsync(state.ServiceUserId, lineUserId, linkId, issued, cancellationToken);
        var now = time.GetUtcNow();
        var written = await writer.WriteAsync(
            new LinkRequest(lineUserId, state.ServiceUserId, linkId, now.ToUnixTimeMilliseconds(), LoginPolicy.Method, now), cancellationToken);
        return written == LinkWriteResult.Linked
            ? new Outcome(LoginResults.Linked, null, lineUserId, linkId)
            : new Outcome(LoginResults.Failed, "superseded by a newer link", lineUserId);
    }

    /// <summary>Written before the link, so that a linked user always has a token to deauthorize with.</summary>
    private async Task SaveGrantAsync(string serviceUserId, string lineUserId, string linkId, LineLoginTokens issued, CancellationToken cancellationToken)
    {
        var id = provider.Grant(lineUserId);
        await store.SaveGrantAsync(
            new LineLoginGrantDocument
            {
                Id = id,
                LineUserId = lineUserId,
                ServiceUserId = serviceUserId,
                LinkId = linkId,
                AccessToken = issued.AccessToken is { } access ? await protector.WrapAsync(access, id, cancellationToken) : null,
                AccessTokenExpiresAt = issued.AccessToken is null ? null : time.GetUtcNow().AddSeconds(issued.ExpiresIn),
                RefreshToken = issued.RefreshToken is { } refresh ? await protector.WrapAsync(refresh, id, cancellationToken) : null,
                Scope = issued.Scope,
                IssuedAt = time.GetUtcNow(),
            },
            cancellationToken);
    }

    private async Task AuditAsync(LoginStateDocument state, LineLoginCallbackQuery query, Outcome outcome, CancellationToken cancellationToken)
    {
        var friendship = query.FriendshipStatusChanged is "true" or "false" ? query.FriendshipStatusChanged : null;
        LogOutcome(logger, outcome.Result, outcome.Reason ?? "-", LogIds.Hash(state.ServiceUserId), LogIds.Hash(outcome.LineUserId), friendship ?? "absent");
        var action = outcome.Result == LoginResults.Linked ? "linked" : "failed";
        try
        {
            await audit.AppendAsync(
                AuditEntry.For(
                    provider, state.ServiceUserId, outcome.LineUserId, $"linelogin:{state.Id}:{action}", action, LoginPolicy.Method,
                    time.GetUtcNow(), outcome.LinkId,
                    friendship is null ? outcome.Reason : $"{outcome.Reason ?? outcome.Result}; friendship_status_changed={friendship}"),
                cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The link (or its refusal) stands; a lost audit line must not turn into a different answer.
            LogAuditFailed(logger, SafeError.Describe(ex));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "LINE Login callback refused: {Reason}.")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "LINE Login {Result} ({Reason}) for service user {ServiceUserHash}, LINE user {LineUserHash}; friendship_status_changed {Friendship}.")]
    private static partial void LogOutcome(ILogger logger, string result, string reason, string serviceUserHash, string lineUserHash, string friendship);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LINE Login audit entry not written: {Error}.")]
    private static partial void LogAuditFailed(ILogger logger, string error);
}
