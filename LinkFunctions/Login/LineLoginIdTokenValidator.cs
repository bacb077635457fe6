using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LinkFunctions.Login;

/// <summary>What a checked ID token gives us: the LINE user ID, or a log-safe reason for refusing it.</summary>
public sealed record IdTokenCheck(string? Subject, string? Problem)
{
    public bool Valid => Subject is not null;
}

/// <summary>
/// Web login's ID token, checked locally as OIDC Core asks: HS256 only, keyed with the UTF-8 bytes of the LINE Login
/// channel secret; iss, aud, exp (small skew) and our nonce. LINE's discovery document lists only ES256 (LIFF and
/// the SDKs), so its algorithms and keys are deliberately kept out of this validator.
/// </summary>
public sealed class LineLoginIdTokenValidator(TimeProvider time)
{
    private readonly JsonWebTokenHandler handler = new() { MapInboundClaims = false };

    /// <summary>Our clock (so that tests can move it), LINE's <c>exp</c> required, a small skew either way.</summary>
    private bool WithinLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return expires is { } exp && now < exp + LoginPolicy.IdTokenClockSkew
            && (notBefore is not { } nbf || nbf - LoginPolicy.IdTokenClockSkew <= now);
    }

    public async Task<IdTokenCheck> ValidateAsync(string idToken, string channelSecret, string channelId, string nonceHash)
    {
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = LoginPolicy.Issuer,
            ValidAudience = channelId,
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(channelSecret)),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            RequireAudience = true,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = LoginPolicy.IdTokenClockSkew,
            LifetimeValidator = WithinLifetime,
            LogValidationExceptions = false,
        };

        TokenValidationResult result;
        try
        {
            result = await handler.ValidateTokenAsync(idToken, parameters);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenException or FormatException)
        {
            // The handler reports most failures in the result; anything it throws is still just a bad token.
            return new IdTokenCheck(null, ex.GetType().Name);
        }

        if (!result.IsValid)
        {
            // Only the exception type: IdentityModel messages can quote token contents.
            return new IdTokenCheck(null, result.Exception?.GetType().Name ?? "invalid");
        }

        var nonce = result.Claims.TryGetValue("nonce", out var value) ? value as string : null;
        if (!LoginHash.Matches(nonce, nonceHash))
        {
            return new IdTokenCheck(null, "nonce mismatch");
        }

        return result.Claims.TryGetValue("sub", out var sub) && sub is string subject
            ? new IdTokenCheck(subject, null)
            : new IdTokenCheck(null, "no sub");
    }
}
