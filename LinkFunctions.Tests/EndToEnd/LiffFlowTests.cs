using System.Text;
using System.Text.Json.Nodes;
using LinkFunctions.Functions;
using LinkFunctions.Tests.TestSupport;
using Microsoft.AspNetCore.Mvc;
using Microsoft.IdentityModel.Tokens;

namespace LinkFunctions.Tests.EndToEnd;

/// <summary>
/// LIFF linking in Delegated mode through the real app: tokens signed with the LINE fake's ES256 key, its JWKS over
/// loopback HTTP, single use and links in Cosmos, and the link read back through GetLink.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class LiffFlowTests(CosmosFixture cosmos) : AppTest(cosmos)
{
    private LinkingFlow Flow => new(App, Line);

    protected override void ConfigureSettings(Dictionary<string, string?> settings)
    {
        settings["Auth:Mode"] = "Delegated";
        settings.Remove("Auth:AllowUnverifiedPrincipalHeaders");
        settings["Liff:ChannelId"] = LiffIdTokens.LiffChannelId;
    }

    private Task<IActionResult> PostAsync(string body) =>
        App.Function<LiffLinkFunction>().Run(HttpRequests.PostJson("/api/links/liff", body));

    private Task<IActionResult> LinkAsync(string idToken, string serviceUserId) =>
        PostAsync($$"""{"idToken":"{{idToken}}","serviceUserId":"{{serviceUserId}}"}""");

    private static JsonObject Claims(string lineUserId) => LiffIdTokens.Claims(lineUserId, DateTimeOffset.UtcNow);

    private async Task AssertNotLinkedAsync(string lineUserId, string serviceUserId)
    {
        Assert.Null(await Flow.FindByLineUserAsync(lineUserId));
        Assert.Null(await Flow.FindByServiceUserAsync(serviceUserId));
    }

    [Fact]
    public async Task LiffFlow_IdTokenFromLiff_LinksAndTheLinkIsVisibleBothWays()
    {
        var lineUserId = WebhookBodies.NewLineUserId();

        var result = await LinkAsync(Line.Liff.Sign(Claims(lineUserId)), "customer-liff");

        Assert.Equal(200, HttpRequests.Status(result));
        Assert.Contains("\"method\":\"liff\"", HttpRequests.Content(result), StringComparison.Ordinal);
        var byUser = await Flow.FindByServiceUserAsync("customer-liff");
        Assert.Equal((lineUserId, "liff"), (byUser?.LineUserId, byUser?.Method));
        var byLine = await Flow.FindByLineUserAsync(lineUserId);
        Assert.Equal(("customer-liff", "liff"), (byLine?.ServiceUserId, byLine?.Method));
        Assert.Single(Line.CallsTo(LineFake.JwksPath));
    }

    [Fact]
    public async Task LiffFlow_SameIdTokenPresentedASecondTime_RefusedAndTheFirstLinkStands()
    {
        var lineUserId = WebhookBodies.NewLineUserId();
        var token = Line.Liff.Sign(Claims(lineUserId));
        Assert.Equal(200, HttpRequests.Status(await LinkAsync(token, "customer-first")));

        var replay = await LinkAsync(token, "customer-replay");

        Assert.Equal(401, HttpRequests.Status(replay));
        Assert.Contains("invalid-id-token", HttpRequests.Content(replay), StringComparison.Ordinal);
        Assert.Equal("customer-first", (await Flow.FindByLineUserAsync(lineUserId))?.ServiceUserId);
        Assert.Null(await Flow.FindByServiceUserAsync("customer-replay"));
    }

    [Fact]
    public async Task LiffFlow_SameIdTokenPresentedTwiceAtOnce_ExactlyOneLinks()
    {
        var lineUserId = WebhookBodies.NewLineUserId();
        var token = Line.Liff.Sign(Claims(lineUserId));

        var results = await Task.WhenAll(LinkAsync(token, "customer-race-a"), LinkAsync(token, "customer-race-b"));

        Assert.Equal([200, 401], results.Select(HttpRequests.Status).Order());
        var winner = (await Flow.FindByLineUserAsync(lineUserId))?.ServiceUserId;
        Assert.Contains(winner, new[] { "customer-race-a", "customer-race-b" });
        Assert.Null(await Flow.FindByServiceUserAsync(winner == "customer-race-a" ? "customer-race-b" : "customer-race-a"));
    }

    public static TheoryData<string> Attacks => new()
    {
        "tampered-payload", "tampered-signature", "wrong-aud", "liff-id-as-aud", "wrong-iss", "expired", "alg-none",
        "iat-older-than-10-min", "hs256-with-jwk-x-y", "hs256-with-jwk-json", "unknown-kid",
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task LiffFlow_ForgedOrStaleIdToken_401AndNoLink(string attack)
    {
        var lineUserId = WebhookBodies.NewLineUserId();
        var serviceUserId = "customer-" + attack;

        var result = await LinkAsync(Forge(attack, lineUserId), serviceUserId);

        Assert.Equal(401, HttpRequests.Status(result));
        Assert.Contains("invalid-id-token", HttpRequests.Content(result), StringComparison.Ordinal);
        await AssertNotLinkedAsync(lineUserId, serviceUserId);
    }

    [Fact]
    public async Task LiffFlow_FloodOfUnknownKids_AtMostOneJwksRefresh()
    {
        Assert.Equal(200, HttpRequests.Status(await LinkAsync(Line.Liff.Sign(Claims(WebhookBodies.NewLineUserId())), "customer-before-flood")));

        // The first fetch was just now, so no unknown kid may refresh within the next 5 minutes.
        for (var i = 0; i < 20; i++)
        {
            using var attacker = new LiffIdTokens($"attacker-{i}");
            Assert.Equal(401, HttpRequests.Status(await LinkAsync(attacker.Sign(Claims(WebhookBodies.NewLineUserId())), $"customer-flood-{i}")));
        }

        Assert.Single(Line.CallsTo(LineFake.JwksPath));
    }

    [Theory]
    [InlineData("userId")]
    [InlineData("lineUserId")]
    public async Task LiffFlow_ClientSendsItsOwnLineUserId_400AndNoLink(string field)
    {
        var victim = WebhookBodies.NewLineUserId();
        var attacker = WebhookBodies.NewLineUserId();

        var result = await PostAsync($$"""{"idToken":"{{Line.Liff.Sign(Claims(attacker))}}","serviceUserId":"customer-spoof","{{field}}":"{{victim}}"}""");

        Assert.Equal(400, HttpRequests.Status(result));
        await AssertNotLinkedAsync(victim, "customer-spoof");
        Assert.Null(await Flow.FindByLineUserAsync(attacker));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("customer/../admin")]
    public async Task LiffFlow_MissingOrInvalidServiceUserId_400AndNoLink(string? serviceUserId)
    {
        var lineUserId = WebhookBodies.NewLineUserId();
        var token = Line.Liff.Sign(Claims(lineUserId));
        var body = serviceUserId is null ? $$"""{"idToken":"{{token}}"}""" : $$"""{"idToken":"{{token}}","serviceUserId":"{{serviceUserId}}"}""";

        var result = await PostAsync(body);

        Assert.Equal(400, HttpRequests.Status(result));
        Assert.Null(await Flow.FindByLineUserAsync(lineUserId));
    }

    private string Forge(string attack, string lineUserId)
    {
        var signer = Line.Liff;
        var claims = Claims(lineUserId);
        switch (attack)
        {
            case "tampered-payload":
                var parts = signer.Sign(Claims(WebhookBodies.NewLineUserId())).Split('.');
                return $"{parts[0]}.{Base64UrlEncoder.Encode(claims.ToJsonString())}.{parts[2]}";
            case "tampered-signature":
                var genuine = signer.Sign(claims).Split('.');
                var signature = Base64UrlEncoder.DecodeBytes(genuine[2]);
                signature[^1] ^= 0x80;
                return $"{genuine[0]}.{genuine[1]}.{Base64UrlEncoder.Encode(signature)}";
            case "wrong-aud":
                return signer.Sign(LiffIdTokens.Claims(lineUserId, DateTimeOffset.UtcNow, audience: TestApp.ChannelId));
            case "liff-id-as-aud":
                return signer.Sign(LiffIdTokens.Claims(lineUserId, DateTimeOffset.UtcNow, audience: LiffIdTokens.LiffChannelId + "-AbCdEfGh"));
            case "wrong-iss":
                claims["iss"] = "https://access.line.me.evil.example";
                return signer.Sign(claims);
            case "expired":
                claims["iat"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds();
                claims["exp"] = DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeSeconds();
                return signer.Sign(claims);
            case "alg-none":
                var none = signer.Header();
                none["alg"] = "none";
                return LiffIdTokens.SigningInput(none, claims) + ".";
            case "iat-older-than-10-min":
                return signer.Sign(LiffIdTokens.Claims(lineUserId, DateTimeOffset.UtcNow.AddMinutes(-11)));
            case "hs256-with-jwk-x-y":
                return LiffIdTokens.SignHs256(Hs256Header(signer), claims, signer.PublicKeyBytes());
            case "hs256-with-jwk-json":
                return LiffIdTokens.SignHs256(Hs256Header(signer), claims, Encoding.UTF8.GetBytes(signer.PublicJwk.ToJsonString()));
            case "unknown-kid":
                using (var stranger = new LiffIdTokens("kid-line-never-published"))
                {
                    return stranger.Sign(claims);
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(attack), attack, null);
        }
    }

    private static JsonObject Hs256Header(LiffIdTokens signer)
    {
        var header = signer.Header();
        header["alg"] = "HS256";
        return header;
    }
}
