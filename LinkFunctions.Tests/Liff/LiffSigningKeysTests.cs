using System.Net;
using System.Text.Json.Nodes;
using LinkFunctions.Liff;
using LinkFunctions.Tests.LineApi;
using LinkFunctions.Tests.TestSupport;

namespace LinkFunctions.Tests.Liff;

public sealed class LiffSigningKeysTests : IDisposable
{
    private readonly LiffTestHarness liff = new();

    public void Dispose() => liff.Dispose();

    private Task<Microsoft.IdentityModel.Tokens.SecurityKey?> Find(string kid) => liff.Keys.FindAsync(kid, CancellationToken.None);

    [Fact]
    public async Task FindAsync_KnownKidManyTimes_FetchesTheJwksOnce()
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.NotNull(await Find(liff.Signer.Kid));
        }

        Assert.Equal(1, liff.JwksCalls);
    }

    [Fact]
    public async Task FindAsync_FloodOfUnknownKids_RefreshesAtMostOncePerFiveMinutes()
    {
        await Find(liff.Signer.Kid);
        liff.Time.Advance(LiffSigningKeys.RefreshInterval);

        var flood = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Find($"attacker-{i}")));
        Assert.All(flood, Assert.Null);
        Assert.Equal(2, liff.JwksCalls);

        liff.Time.Advance(LiffSigningKeys.RefreshInterval - TimeSpan.FromSeconds(1));
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Find($"again-{i}")));
        Assert.Equal(2, liff.JwksCalls);

        liff.Time.Advance(TimeSpan.FromSeconds(1));
        await Find("after-the-interval");
        Assert.Equal(3, liff.JwksCalls);
    }

    [Fact]
    public async Task FindAsync_LineRotatesItsKey_NewKidFoundByOneRefresh()
    {
        await Find(liff.Signer.Kid);
        using var rotated = new LiffIdTokens("liff-test-key-2");
        liff.Published.AddRange([liff.Signer, rotated]);
        liff.Time.Advance(LiffSigningKeys.RefreshInterval);

        Assert.NotNull(await Find(rotated.Kid));
        Assert.NotNull(await Find(liff.Signer.Kid));
        Assert.Equal(2, liff.JwksCalls);
    }

    [Fact]
    public async Task FindAsync_KeyWithdrawnByLine_DistrustedAfterMaxAge()
    {
        await Find(liff.Signer.Kid);
        using var successor = new LiffIdTokens("liff-test-key-2");
        liff.Published.Add(successor);
        liff.Time.Advance(LiffSigningKeys.MaxAge);

        Assert.Null(await Find(liff.Signer.Kid));
        Assert.Equal(2, liff.JwksCalls);
    }

    [Fact]
    public async Task FindAsync_JwksDownAndNothingCached_ThrowsAndRetriesOnlyAfterTheBackoff()
    {
        liff.JwksStatus = HttpStatusCode.ServiceUnavailable;

        await Assert.ThrowsAsync<LiffKeysUnavailableException>(() => Find(liff.Signer.Kid));
        var calls = liff.JwksCalls;
        await Assert.ThrowsAsync<LiffKeysUnavailableException>(() => Find(liff.Signer.Kid));
        Assert.Equal(calls, liff.JwksCalls);

        liff.JwksStatus = null;
        liff.Time.Advance(LiffSigningKeys.RetryAfterFailure);
        Assert.NotNull(await Find(liff.Signer.Kid));
    }

    [Fact]
    public async Task FindAsync_JwksDownWithKeysCached_KeepsUsingThem()
    {
        await Find(liff.Signer.Kid);
        liff.JwksStatus = HttpStatusCode.InternalServerError;
        liff.Time.Advance(LiffSigningKeys.MaxAge);

        Assert.NotNull(await Find(liff.Signer.Kid));
    }

    [Fact]
    public async Task FindAsync_JwksNotJson_Throws()
    {
        liff.Handler.Respond(LineFake.JwksPath, _ => FakeLineHandler.Json(HttpStatusCode.OK, "<html>maintenance</html>"));

        await Assert.ThrowsAsync<LiffKeysUnavailableException>(() => Find(liff.Signer.Kid));
    }

    [Theory]
    [InlineData("""{"kty":"RSA","kid":"k","n":"sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw","e":"AQAB"}""")]
    [InlineData("""{"kty":"oct","kid":"k","k":"c2VjcmV0"}""")]
    [InlineData("""{"kty":"EC","kid":"k","crv":"P-384","x":"AAAA","y":"AAAA"}""")]
    [InlineData("""{"kty":"EC","kid":"k","crv":"P-256","use":"enc","x":"AAAA","y":"AAAA"}""")]
    [InlineData("""{"kty":"EC","kid":"k","crv":"P-256","alg":"HS256","x":"AAAA","y":"AAAA"}""")]
    [InlineData("""{"kty":"EC","kid":"k","crv":"P-256","x":"AAAA","y":"AAAA"}""")] // not a point on the curve
    public async Task FindAsync_KeyThatCannotVerifyEs256_Ignored(string jwk)
    {
        var set = new JsonObject { ["keys"] = new JsonArray(JsonNode.Parse(jwk), liff.Signer.PublicJwk) };
        liff.Handler.Respond(LineFake.JwksPath, _ => FakeLineHandler.Json(HttpStatusCode.OK, set.ToJsonString()));

        Assert.Null(await Find("k"));
        Assert.NotNull(await Find(liff.Signer.Kid));
    }
}
