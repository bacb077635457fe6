using LinkFunctions.Login;
using LinkFunctions.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace LinkFunctions.Tests.Login;

public class LineLoginIdTokenValidatorTests
{
    private const string Sub = "U0123456789abcdef0123456789abcdef";
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly LoginAuthorization Authorization = new("code", "state", Sub, LineFake.LoginChannelId, "https://cb", "the-nonce", "challenge");

    private readonly FakeTimeProvider time = new(Now);

    private Task<IdTokenCheck> ValidateAsync(string token, string secret = LineFake.LoginChannelSecret) =>
        new LineLoginIdTokenValidator(time).ValidateAsync(token, secret, LineFake.LoginChannelId, LoginHash.Of("the-nonce"));

    private static Dictionary<string, object> Claims() => LineFake.IdTokenClaims(Authorization, Now);

    [Fact]
    public async Task ValidateAsync_TokenSignedWithTheChannelSecret_ReturnsSub()
    {
        var check = await ValidateAsync(LineFake.SignIdToken(Claims()));

        Assert.True(check.Valid, check.Problem);
        Assert.Equal(Sub, check.Subject);
    }

    [Theory]
    [InlineData(30, true)]
    [InlineData(90, false)]
    public async Task ValidateAsync_ExpiredBySeconds_SixtySecondSkew(int secondsAgo, bool valid)
    {
        var claims = Claims();
        claims["iat"] = Now.AddHours(-1).ToUnixTimeSeconds();
        claims["exp"] = Now.AddSeconds(-secondsAgo).ToUnixTimeSeconds();

        Assert.Equal(valid, (await ValidateAsync(LineFake.SignIdToken(claims))).Valid);
    }

    [Fact]
    public async Task ValidateAsync_NoExp_Refused()
    {
        var claims = Claims();
        claims.Remove("exp");

        Assert.False((await ValidateAsync(LineFake.SignIdToken(claims))).Valid);
    }

    [Theory]
    [InlineData("aud", "1999999999")]
    [InlineData("iss", "https://access.line.me/")]
    [InlineData("iss", "https://evil.example")]
    [InlineData("nonce", "another-nonce")]
    [InlineData("nonce", "")]
    public async Task ValidateAsync_WrongClaim_Refused(string claim, string value)
    {
        var claims = Claims();
        claims[claim] = value;

        Assert.False((await ValidateAsync(LineFake.SignIdToken(claims))).Valid);
    }

    [Fact]
    public async Task ValidateAsync_NonceMissing_Refused()
    {
        var claims = Claims();
        claims.Remove("nonce");

        var check = await ValidateAsync(LineFake.SignIdToken(claims));

        Assert.Equal("nonce mismatch", check.Problem);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("HS512")]
    public async Task ValidateAsync_AlgorithmOtherThanHs256_Refused(string alg)
    {
        Assert.False((await ValidateAsync(LineFake.SignIdToken(Claims(), alg: alg))).Valid);
    }

    /// <summary>HS512 needs a 512-bit key, so with LINE's 32-character secret only the allow-list shows here.</summary>
    [Fact]
    public async Task ValidateAsync_Hs512WithAKeyLongEnough_RefusedByTheAlgorithmAllowList()
    {
        var longSecret = LineFake.LoginChannelSecret + LineFake.LoginChannelSecret;

        Assert.False((await ValidateAsync(LineFake.SignIdToken(Claims(), longSecret, "HS512"), longSecret)).Valid);
        Assert.True((await ValidateAsync(LineFake.SignIdToken(Claims(), longSecret), longSecret)).Valid);
    }

    [Fact]
    public async Task ValidateAsync_SignatureOrPayloadTampered_Refused()
    {
        var parts = LineFake.SignIdToken(Claims()).Split('.');
        var otherClaims = Claims();
        otherClaims["sub"] = "Uffffffffffffffffffffffffffffffff";
        var otherPayload = LineFake.SignIdToken(otherClaims).Split('.')[1];

        Assert.False((await ValidateAsync($"{parts[0]}.{otherPayload}.{parts[2]}")).Valid);
        Assert.False((await ValidateAsync($"{parts[0]}.{parts[1]}.{parts[2][..^3]}AAA")).Valid);
    }

    /// <summary>
    /// The 32 hex characters decoded as hex are 128 bits, which IdentityModel refuses for HS256 (IDX10720): that is
    /// a failed login, never an exception that would surface as a 500.
    /// </summary>
    [Fact]
    public async Task ValidateAsync_128BitKey_RefusedWithoutThrowing()
    {
        const string shortSecret = "0123456789abcdef";

        var check = await ValidateAsync(LineFake.SignIdToken(Claims(), shortSecret), shortSecret);

        Assert.False(check.Valid);
        Assert.Equal("SecurityTokenSignatureKeyNotFoundException", check.Problem);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9..")]
    public async Task ValidateAsync_Garbage_RefusedWithoutThrowing(string token)
    {
        Assert.False((await ValidateAsync(token)).Valid);
    }
}
