using System.Text;
using System.Text.Json.Nodes;
using LinkFunctions.Liff;
using LinkFunctions.Tests.TestSupport;
using Microsoft.IdentityModel.Tokens;

namespace LinkFunctions.Tests.Liff;

public sealed class LiffIdTokenVerifierTests : IDisposable
{
    private const string LineUserId = LiffTestHarness.LineUserId;
    private readonly LiffTestHarness liff = new();

    private DateTimeOffset Now => liff.Time.GetUtcNow();

    public void Dispose() => liff.Dispose();

    private Task<LiffIdToken?> Verify(string token) => liff.Verifier.VerifyAsync(token, CancellationToken.None);

    private JsonObject Claims() => LiffIdTokens.Claims(LineUserId, Now);

    [Fact]
    public async Task VerifyAsync_GenuineToken_ReturnsTheSubjectAndExpiry()
    {
        var token = await Verify(liff.Token());

        Assert.NotNull(token);
        Assert.Equal(LineUserId, token.LineUserId);
        Assert.Equal(Now.AddHours(1), token.ExpiresAt);
        Assert.Matches("^[0-9a-f]{64}$", token.UseKey);
    }

    [Fact]
    public async Task VerifyAsync_TamperedPayload_Rejected()
    {
        var genuine = liff.Token().Split('.');
        var forgedClaims = Claims();
        forgedClaims["sub"] = "Uffffffffffffffffffffffffffffffff";
        var forged = $"{genuine[0]}.{Base64UrlEncoder.Encode(forgedClaims.ToJsonString())}.{genuine[2]}";

        Assert.Null(await Verify(forged));
    }

    [Fact]
    public async Task VerifyAsync_TamperedSignature_Rejected()
    {
        var parts = liff.Token().Split('.');
        var signature = Base64UrlEncoder.DecodeBytes(parts[2]);
        signature[10] ^= 0x01;

        Assert.Null(await Verify($"{parts[0]}.{parts[1]}.{Base64UrlEncoder.Encode(signature)}"));
    }

    [Theory]
    [InlineData("2000000001-AbCdEfGh")] // the LIFF ID is not the audience
    [InlineData("1234567890")] // another channel of the same provider
    [InlineData("")]
    public async Task VerifyAsync_WrongAudience_Rejected(string audience)
    {
        Assert.Null(await Verify(liff.Signer.Sign(LiffIdTokens.Claims(LineUserId, Now, audience))));
    }

    [Theory]
    [InlineData("aud")]
    [InlineData("iss")]
    [InlineData("exp")]
    [InlineData("iat")]
    [InlineData("sub")]
    public async Task VerifyAsync_RequiredClaimMissing_Rejected(string claim)
    {
        var claims = Claims();
        claims.Remove(claim);

        Assert.Null(await Verify(liff.Signer.Sign(claims)));
    }

    [Theory]
    [InlineData("https://access.line.me/")]
    [InlineData("https://evil.example")]
    [InlineData("http://access.line.me")]
    public async Task VerifyAsync_WrongIssuer_Rejected(string issuer)
    {
        var claims = Claims();
        claims["iss"] = issuer;

        Assert.Null(await Verify(liff.Signer.Sign(claims)));
    }

    [Fact]
    public async Task VerifyAsync_Expired_Rejected()
    {
        // Expiry on its own: issued 6 minutes ago (young enough), expired 1 minute ago (beyond the skew).
        var claims = LiffIdTokens.Claims(LineUserId, Now.AddMinutes(-6));
        claims["exp"] = Now.AddMinutes(-1).ToUnixTimeSeconds();

        Assert.Null(await Verify(liff.Signer.Sign(claims)));
    }

    [Fact]
    public async Task VerifyAsync_ExpiredWithinTheClockSkew_Accepted()
    {
        var claims = LiffIdTokens.Claims(LineUserId, Now.AddMinutes(-6));
        claims["exp"] = Now.AddSeconds(-10).ToUnixTimeSeconds();

        Assert.NotNull(await Verify(liff.Signer.Sign(claims)));
    }

    [Fact]
    public async Task VerifyAsync_IssuedMoreThanTenMinutesAgo_Rejected()
    {
        // Still unexpired (LINE's tokens live an hour), but too old for us.
        Assert.Null(await Verify(liff.Signer.Sign(LiffIdTokens.Claims(LineUserId, Now - LiffIdTokenVerifier.MaxAge - TimeSpan.FromSeconds(1)))));
    }

    [Fact]
    public async Task VerifyAsync_IssuedJustUnderTenMinutesAgo_Accepted()
    {
        Assert.NotNull(await Verify(liff.Signer.Sign(LiffIdTokens.Claims(LineUserId, Now - LiffIdTokenVerifier.MaxAge + TimeSpan.FromSeconds(1)))));
    }

    [Fact]
    public async Task VerifyAsync_IssuedInTheFuture_Rejected()
    {
        Assert.Null(await Verify(liff.Signer.Sign(LiffIdTokens.Claims(LineUserId, Now.AddMinutes(5)))));
    }

    [Theory]
    [InlineData("none", "")]
    [InlineData("None", "")]
    [InlineData("none", "e30")]
    public async Task VerifyAsync_AlgNone_RejectedWithoutFetchingKeys(string alg, string signature)
    {
        var header = liff.Signer.Header();
        header["alg"] = alg;

        Assert.Null(await Verify(LiffIdTokens.SigningInput(header, Claims()) + "." + signature));
        Assert.Equal(0, liff.JwksCalls);
    }

    public static TheoryData<string> PublicKeyMaterial => new() { "x||y", "jwk-json", "jwks-json", "x-base64url" };

    [Theory]
    [MemberData(nameof(PublicKeyMaterial))]
    public async Task VerifyAsync_Hs256SignedWithThePublicKey_Rejected(string material)
    {
        byte[] secret = material switch
        {
            "x||y" => liff.Signer.PublicKeyBytes(),
            "jwk-json" => Encoding.UTF8.GetBytes(liff.Signer.PublicJwk.ToJsonString()),
            "jwks-json" => Encoding.UTF8.GetBytes(LiffIdTokens.Jwks(liff.Signer)),
            _ => Encoding.UTF8.GetBytes(liff.Signer.PublicJwk["x"]!.GetValue<string>()),
        };
        var header = liff.Signer.Header();
        header["alg"] = "HS256";

        Assert.Null(await Verify(LiffIdTokens.SignHs256(header, Claims(), secret)));
        Assert.Equal(0, liff.JwksCalls);
    }

    [Fact]
    public async Task VerifyAsync_Hs256SignatureUnderAnEs256Header_Rejected()
    {
        await Verify(liff.Token()); // the key is cached, so the library itself must refuse the HMAC
        var forged = LiffIdTokens.SignHs256(liff.Signer.Header(), Claims(), liff.Signer.PublicKeyBytes());

        Assert.Null(await Verify(forged));
    }

    [Fact]
    public async Task VerifyAsync_UnknownKid_Rejected()
    {
        using var stranger = new LiffIdTokens("not-published");

        Assert.Null(await Verify(stranger.Sign(Claims())));
    }

    [Fact]
    public async Task VerifyAsync_PublishedKidButAnotherKey_Rejected()
    {
        using var stranger = new LiffIdTokens(liff.Signer.Kid);

        Assert.Null(await Verify(stranger.Sign(Claims())));
    }

    [Fact]
    public async Task VerifyAsync_NoKid_Rejected()
    {
        var header = liff.Signer.Header();
        header.Remove("kid");

        Assert.Null(await Verify(liff.Signer.Sign(header, Claims())));
    }

    [Theory]
    [InlineData("U8189CF6745FC0D808977BDB0B9F22995")]
    [InlineData("C8189cf6745fc0d808977bdb0b9f22995")]
    [InlineData("U8189cf6745fc0d808977bdb0b9f2299")]
    [InlineData("")]
    public async Task VerifyAsync_SubjectIsNotALineUserId_Rejected(string subject)
    {
        Assert.Null(await Verify(liff.Signer.Sign(LiffIdTokens.Claims(subject, Now))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.e30")]
    [InlineData("a.b.c.d.e")]
    public async Task VerifyAsync_NotAJws_Rejected(string token)
    {
        Assert.Null(await Verify(token));
    }

    [Fact]
    public async Task VerifyAsync_SignatureInItsOtherValidForm_KeepsTheSameUseKey()
    {
        var genuine = liff.Token();
        var malleated = LiffIdTokens.Malleate(genuine);

        var first = await Verify(genuine);
        var second = await Verify(malleated);

        Assert.NotEqual(genuine, malleated);
        Assert.NotNull(second);
        Assert.Equal(first!.UseKey, second.UseKey);
    }

    [Fact]
    public async Task VerifyAsync_LiffNotConfigured_RejectsEveryToken()
    {
        using var unconfigured = new LiffTestHarness(channelId: null);

        Assert.Null(await unconfigured.Verifier.VerifyAsync(unconfigured.Token(), CancellationToken.None));
    }
}
