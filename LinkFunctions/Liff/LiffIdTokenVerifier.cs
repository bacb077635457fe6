using LinkFunctions.Linking;
using LinkFunctions.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LinkFunctions.Liff;

/// <summary>A verified LIFF ID token: whose it is, until when, and the key that marks it used.</summary>
public sealed record LiffIdToken(string LineUserId, DateTimeOffset ExpiresAt, string UseKey);

/// <summary>
/// Verifies a LIFF ID token locally, as LINE's "verify the ID token on the server" requires: ES256 only, a key from
/// LINE's JWKS, <c>iss</c>, <c>aud</c> = the LIFF app's LINE Login channel, <c>exp</c>, and an <c>iat</c> at most
/// <see cref="MaxAge"/> old. The token carries no nonce of ours and lives an hour, so freshness and single use
/// (the caller records <see cref="LiffIdToken.UseKey"/>) are what stop a leaked token from being replayed.
/// </summary>
public sealed partial class LiffIdTokenVerifier(
    LiffSigningKeys keys, IOptions<LiffOptions> options, TimeProvider time, ILogger<LiffIdTokenVerifier> logger)
{
    public const string Issuer = "https://access.line.me";
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    /// <summary>Null when the token is not acceptable; throws <see cref="LiffKeysUnavailableException"/> when that cannot be told.</summary>
    public async Task<LiffIdToken?> VerifyAsync(string idToken, CancellationToken cancellationToken)
    {
        if (!Handler.CanReadToken(idToken))
        {
            return Reject("not a JWS");
        }

        JsonWebToken unverified;
        try
        {
            unverified = Handler.ReadJsonWebToken(idToken);
        }
        catch (ArgumentException)
        {
            return Reject("not a JWS");
        }

        // Checked before any key lookup, so that alg=none, HS256 or a junk kid never costs a JWKS call.
        if (!string.Equals(unverified.Alg, SecurityAlgorithms.EcdsaSha256, StringComparison.Ordinal) || string.IsNullOrEmpty(unverified.Kid))
        {
            return Reject("algorithm is not ES256 or kid is missing");
        }

        var key = await keys.FindAsync(unverified.Kid, cancellationToken);
        if (key is null)
        {
            return Reject("kid not in LINE's JWKS");
        }

        var result = await Handler.ValidateTokenAsync(idToken, Parameters(key));
        if (!result.IsValid || result.SecurityToken is not JsonWebToken token)
        {
            // The type says what failed (signature, lifetime, audience…); IdentityModel's messages may quote claims.
            return Reject(result.Exception?.GetType().Name ?? "invalid");
        }

        if (!Identifiers.IsLineUserId(token.Subject))
        {
            return Reject("sub is not a LINE user ID");
        }

        var now = time.GetUtcNow();
        if (!token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out var iat)
            || DateTimeOffset.FromUnixTimeSeconds(iat) is var issuedAt && (now - issuedAt > MaxAge || issuedAt - now > ClockSkew))
        {
            return Reject("iat missing, older than 10 minutes or in the future");
        }

        // The signed part, not the whole string: an ECDSA signature has a second valid form (s → n − s) and base64url
        // has spare bits, so the same token can be re-encoded, but its header and payload cannot change.
        var signed = idToken[..idToken.LastIndexOf('.')];
        return new LiffIdToken(token.Subject, new DateTimeOffset(token.ValidTo, TimeSpan.Zero), ProviderKey.Sha256Hex(signed));
    }

    private TokenValidationParameters Parameters(SecurityKey key) => new()
    {
        ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
        IssuerSigningKey = key,
        TryAllIssuerSigningKeys = false,
        RequireSignedTokens = true,
        ValidIssuer = Issuer,
        ValidAudience = options.Value.ChannelId,
        RequireAudience = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        ClockSkew = ClockSkew,

        // IdentityModel reads the system clock; ours is the app's TimeProvider, as for every other expiry.
        LifetimeValidator = (notBefore, expires, _, _) => IsWithinLifetime(notBefore, expires, time.GetUtcNow().UtcDateTime),
    };

    private static bool IsWithinLifetime(DateTime? notBefore, DateTime? expires, DateTime now) =>
        expires is { } exp && now <= exp + ClockSkew && (notBefore is not { } nbf || now >= nbf - ClockSkew);

    private LiffIdToken? Reject(string reason)
    {
        LogRejected(logger, reason);
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "LIFF ID token rejected: {Reason}.")]
    private static partial void LogRejected(ILogger logger, string reason);
}
