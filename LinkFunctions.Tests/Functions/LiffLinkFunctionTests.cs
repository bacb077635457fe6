using System.Text;
using System.Text.Json;
using LinkFunctions.Functions;
using LinkFunctions.Hosting;
using LinkFunctions.Liff;
using LinkFunctions.Linking;
using LinkFunctions.Storage;
using LinkFunctions.Tests.Liff;
using LinkFunctions.Tests.TestSupport;
using LinkFunctions.Tests.Webhook;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Tests.Functions;

public sealed class LiffLinkFunctionTests : IDisposable
{
    private const string LineUserId = LiffTestHarness.LineUserId;
    private const string OwnOrigin = "https://links.example.com";
    private const string PartnerOrigin = "https://liff.partner.example";

    private readonly LiffTestHarness liff = new();

    public void Dispose() => liff.Dispose();

    private LiffLinkFunction Function(AuthMode mode = AuthMode.Delegated, string? allowedOrigins = null)
    {
        var auth = Options.Create(new AuthOptions { Mode = mode, LoginProvider = TestApp.LoginProvider });
        var origins = new LiffOrigins(
            Options.Create(new LinkingOptions { PublicBaseUrl = new Uri(OwnOrigin + "/") }),
            Options.Create(new LiffOptions { ChannelId = liff.Options.Value.ChannelId, AllowedOrigins = allowedOrigins }));
        var users = new ServiceUserResolver(auth, new PlatformInfo(RunsInAzure: false, EasyAuthEnabled: true), NullLogger<ServiceUserResolver>.Instance);
        return new LiffLinkFunction(liff.Service, origins, users, auth, NullLogger<LiffLinkFunction>.Instance);
    }

    private static HttpRequest Delegated(string idToken, string serviceUserId = "alice") =>
        FunctionHttp.Post("/links/liff", $$"""{"idToken":"{{idToken}}","serviceUserId":"{{serviceUserId}}"}""");

    private static HttpRequest SignedIn(string body, string? origin = OwnOrigin, string? user = "alice", string method = "POST")
    {
        var request = FunctionHttp.Post("/links/liff/me", body);
        request.Method = method;
        if (origin is not null)
        {
            request.Headers.Origin = origin;
        }

        return user is null ? request : request.AsServiceUser(user);
    }

    private async Task AssertNotLinkedAsync()
    {
        Assert.Null(await liff.Reader.FindByLineUserAsync(LineUserId, CancellationToken.None));
        Assert.Equal(0, liff.Links.Writes);
    }

    [Fact]
    public async Task Run_GenuineToken_Returns200AndTheLinkIsReadableBothWays()
    {
        var request = Delegated(liff.Token());

        var result = await Function().Run(request);

        Assert.Equal(200, FunctionHttp.Status(result));
        var json = FunctionHttp.Json(result);
        Assert.Equal("alice", json.GetProperty("serviceUserId").GetString());
        Assert.Equal(LineUserId, json.GetProperty("lineUserId").GetString());
        Assert.Equal("liff", json.GetProperty("method").GetString());
        Assert.Equal(liff.Time.GetUtcNow(), json.GetProperty("linkedAt").GetDateTimeOffset());
        Assert.Equal("alice", (await liff.Reader.FindByLineUserAsync(LineUserId, CancellationToken.None))?.ServiceUserId);
        Assert.Equal(LineUserId, (await liff.Reader.FindByServiceUserAsync("alice", CancellationToken.None))?.LineUserId);
        FunctionHttp.AssertNoStore(request);
    }

    [Fact]
    public async Task Run_GenuineToken_AuditsTheLinkWithoutTheRawLineUserId()
    {
        await Function().Run(Delegated(liff.Token()));

        var entry = Assert.Single(liff.AuditEntries);
        Assert.Equal(("liff", "linked"), (entry.Method, entry.Action));
        Assert.Equal(liff.Provider.AuditPartition("alice"), entry.Partition);
        Assert.DoesNotContain(LineUserId, JsonSerializer.Serialize(entry, StorageJsonContext.Default.AuditDocument), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SameTokenPresentedAgain_Returns401AndKeepsTheFirstLink()
    {
        var token = liff.Token();
        await Function().Run(Delegated(token));

        var replay = await Function().Run(Delegated(token, serviceUserId: "mallory"));

        FunctionHttp.Problem(replay, StatusCodes.Status401Unauthorized, "invalid-id-token");
        Assert.Equal("alice", (await liff.Reader.FindByLineUserAsync(LineUserId, CancellationToken.None))?.ServiceUserId);
        Assert.Null(await liff.Reader.FindByServiceUserAsync("mallory", CancellationToken.None));
    }

    [Fact]
    public async Task Run_LinkedThenReplayedThenForged_LogsNeitherTokenNorRawUserIds()
    {
        var token = liff.Token();
        var forged = liff.Signer.Sign(LiffIdTokens.Claims(LineUserId, liff.Time.GetUtcNow(), audience: "9999999999"));

        await Function().Run(Delegated(token, serviceUserId: "alice-secret-id"));
        await Function().Run(Delegated(token, serviceUserId: "alice-secret-id"));
        await Function().Run(Delegated(forged, serviceUserId: "alice-secret-id"));

        var logs = liff.Logs.GetSnapshot();
        Assert.Contains(logs, l => l.Message.Contains("rejected", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Message.Contains("presented again", StringComparison.Ordinal));
        Assert.All(logs, l =>
        {
            var line = l.Message + string.Join(",", l.StructuredState?.Select(kv => kv.Value) ?? []);
            Assert.DoesNotContain(token.Split('.')[1], line, StringComparison.Ordinal);
            Assert.DoesNotContain(forged.Split('.')[2], line, StringComparison.Ordinal);
            Assert.DoesNotContain(LineUserId, line, StringComparison.Ordinal);
            Assert.DoesNotContain("alice-secret-id", line, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Run_SameTokenWithItsSignatureReEncoded_Returns401()
    {
        var token = liff.Token();
        await Function().Run(Delegated(token));

        var replay = await Function().Run(Delegated(LiffIdTokens.Malleate(token), serviceUserId: "mallory"));

        FunctionHttp.Problem(replay, StatusCodes.Status401Unauthorized, "invalid-id-token");
        Assert.Null(await liff.Reader.FindByServiceUserAsync("mallory", CancellationToken.None));
    }

    [Fact]
    public async Task Run_InvalidToken_Returns401WithoutEchoingItAndWritesNothing()
    {
        var claims = LiffIdTokens.Claims(LineUserId, liff.Time.GetUtcNow(), audience: "9999999999");
        var token = liff.Signer.Sign(claims);

        var result = await Function().Run(Delegated(token));

        FunctionHttp.Problem(result, StatusCodes.Status401Unauthorized, "invalid-id-token");
        Assert.DoesNotContain(token.Split('.')[1], Assert.IsType<Microsoft.AspNetCore.Mvc.ContentResult>(result).Content, StringComparison.Ordinal);
        Assert.Empty(liff.Used.Used);
        await AssertNotLinkedAsync();
    }

    [Theory]
    [InlineData("userId", "\"U0000000000000000000000000000beef\"")]
    [InlineData("lineUserId", "\"U0000000000000000000000000000beef\"")]
    [InlineData("profile", """{"userId":"U0000000000000000000000000000beef","displayName":"Mallory"}""")]
    [InlineData("userId", "null")]
    public async Task Run_ClientSendsAUserIdOrProfile_Returns400AndWritesNothing(string field, string value)
    {
        var body = $$"""{"idToken":"{{liff.Token()}}","serviceUserId":"alice","{{field}}":{{value}}}""";

        var result = await Function().Run(FunctionHttp.Post("/links/liff", body));

        FunctionHttp.Problem(result, StatusCodes.Status400BadRequest, "client-identity-refused");
        Assert.Equal(0, liff.JwksCalls);
        await AssertNotLinkedAsync();
    }

    [Theory]
    [InlineData("""{"idToken":"TOKEN"}""")]
    [InlineData("""{"idToken":"TOKEN","serviceUserId":""}""")]
    [InlineData("""{"idToken":"TOKEN","serviceUserId":"alice bob"}""")]
    [InlineData("""{"idToken":"TOKEN","serviceUserId":"alice/../bob"}""")]
    public async Task Run_MissingOrInvalidServiceUserId_Returns400AndWritesNothing(string body)
    {
        var result = await Function().Run(FunctionHttp.Post("/links/liff", body.Replace("TOKEN", liff.Token(), StringComparison.Ordinal)));

        FunctionHttp.Problem(result, StatusCodes.Status400BadRequest, "invalid-service-user-id");
        await AssertNotLinkedAsync();
    }

    [Theory]
    [InlineData("""{"serviceUserId":"alice"}""")]
    [InlineData("""{"idToken":"","serviceUserId":"alice"}""")]
    public async Task Run_NoIdToken_Returns400(string body)
    {
        FunctionHttp.Problem(await Function().Run(FunctionHttp.Post("/links/liff", body)), StatusCodes.Status400BadRequest, "missing-id-token");
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"idToken":42,"serviceUserId":"alice"}""")]
    public async Task Run_NotTheExpectedJson_Returns400(string body)
    {
        FunctionHttp.Problem(await Function().Run(FunctionHttp.Post("/links/liff", body)), StatusCodes.Status400BadRequest, "invalid-json");
    }

    [Fact]
    public async Task Run_BodyOver64KiB_Returns413()
    {
        var body = Encoding.UTF8.GetBytes($$"""{"idToken":"{{new string('x', JsonRequestReader.MaxBytes)}}","serviceUserId":"alice"}""");

        FunctionHttp.Problem(await Function().Run(FunctionHttp.Post("/links/liff", body)), StatusCodes.Status413PayloadTooLarge, "body-too-large");
    }

    [Fact]
    public async Task Run_LiffNotConfigured_Returns404()
    {
        using var unconfigured = new LiffTestHarness(channelId: null);
        var function = new LiffLinkFunction(
            unconfigured.Service,
            new LiffOrigins(Options.Create(new LinkingOptions { PublicBaseUrl = new Uri(OwnOrigin) }), unconfigured.Options),
            new ServiceUserResolver(Options.Create(new AuthOptions()), new PlatformInfo(false, false), NullLogger<ServiceUserResolver>.Instance),
            Options.Create(new AuthOptions()),
            NullLogger<LiffLinkFunction>.Instance);

        var result = await function.Run(Delegated(unconfigured.Token()));

        FunctionHttp.Problem(result, StatusCodes.Status404NotFound, "liff-not-configured");
        Assert.Equal(0, unconfigured.JwksCalls);
    }

    [Fact]
    public async Task Run_JwksUnreachable_Returns503()
    {
        liff.JwksStatus = System.Net.HttpStatusCode.ServiceUnavailable;

        var result = await Function().Run(Delegated(liff.Token()));

        FunctionHttp.Problem(result, StatusCodes.Status503ServiceUnavailable, "jwks-unavailable");
        await AssertNotLinkedAsync();
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"keys\":")]
    [InlineData("{\"keys\":42}")]
    [InlineData("{\"keys\":[{\"kty\":\"EC\",\"kid\":7}]}")]
    [InlineData("null")]
    public async Task Run_JwksAnswersJunk_Returns503NotA500AndWritesNothing(string junk)
    {
        liff.Handler.Respond(LineFake.JwksPath, _ => LinkFunctions.Tests.LineApi.FakeLineHandler.Json(System.Net.HttpStatusCode.OK, junk));

        var result = await Function().Run(Delegated(liff.Token()));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, FunctionHttp.Status(result));
        Assert.DoesNotContain(junk, HttpRequests.Content(result), StringComparison.Ordinal);
        await AssertNotLinkedAsync();
    }

    [Fact]
    public async Task Run_ClientAbortsMidBody_Returns400NotA500AndWritesNothing()
    {
        var reset = Delegated(liff.Token());
        reset.Body = new StalledStream(new IOException("The client reset the request stream."));
        var aborted = Delegated(liff.Token());
        using var abort = new CancellationTokenSource();
        aborted.Body = new StalledStream();
        aborted.HttpContext.RequestAborted = abort.Token;

        var resetResult = await Function().Run(reset);
        var running = Function().Run(aborted);
        await abort.CancelAsync();

        FunctionHttp.Problem(resetResult, StatusCodes.Status400BadRequest, "incomplete-body");
        FunctionHttp.Problem(await running, StatusCodes.Status400BadRequest, "incomplete-body");
        await AssertNotLinkedAsync();
    }

    [Fact]
    public async Task Run_UnexpectedFailure_Returns503NotA500()
    {
        liff.Used.Failure = new InvalidOperationException("nothing expects this");

        var result = await Function().Run(Delegated(liff.Token()));

        FunctionHttp.Problem(result, StatusCodes.Status503ServiceUnavailable, "dependency-failure");
        await AssertNotLinkedAsync();
    }

    [Fact]
    public async Task Run_SingleUseStoreUnavailable_Returns503()
    {
        liff.Used.Failure = new StorageException("create", 503);

        var result = await Function().Run(Delegated(liff.Token()));

        FunctionHttp.Problem(result, StatusCodes.Status503ServiceUnavailable, "storage-unavailable");
        await AssertNotLinkedAsync();
    }

    [Fact]
    public async Task Run_LinkWriteFails_Returns503AndTheSameTokenMayBeRetried()
    {
        var token = liff.Token();
        liff.Links.OnCall = call => throw new StorageException(call.Split(' ')[0], 503);

        var failed = await Function().Run(Delegated(token));
        liff.Links.OnCall = null;
        var retried = await Function().Run(Delegated(token));

        FunctionHttp.Problem(failed, StatusCodes.Status503ServiceUnavailable, "storage-unavailable");
        Assert.Equal(200, FunctionHttp.Status(retried));
    }

    [Fact]
    public async Task Run_NewerLinkHoldsTheLineUser_Returns409AndLeavesIt()
    {
        liff.Links.Seed(new LinkDocument
        {
            Id = liff.Provider.LineSide(LineUserId), LineUserId = LineUserId, ServiceUserId = "bob", LinkId = "newer",
            Version = liff.Time.GetUtcNow().AddDays(1).ToUnixTimeMilliseconds(), State = LinkStates.Unlinked, Method = "liff",
            LinkedAt = liff.Time.GetUtcNow(), WrittenAt = liff.Time.GetUtcNow(),
        });

        var result = await Function().Run(Delegated(liff.Token()));

        FunctionHttp.Problem(result, StatusCodes.Status409Conflict, "link-superseded");
        Assert.Null(await liff.Reader.FindByServiceUserAsync("alice", CancellationToken.None));
    }

    [Fact]
    public async Task RunSignedIn_DelegatedMode_Returns404()
    {
        var result = await Function(AuthMode.Delegated).RunSignedIn(SignedIn($$"""{"idToken":"{{liff.Token()}}"}"""));

        FunctionHttp.Problem(result, StatusCodes.Status404NotFound, "app-service-mode-only");
        await AssertNotLinkedAsync();
    }

    [Fact]
    public async Task RunSignedIn_SameOriginSignedInUser_LinksThatUser()
    {
        var request = SignedIn($$"""{"idToken":"{{liff.Token()}}"}""", user: "auth0|alice");

        var result = await Function(AuthMode.AppService).RunSignedIn(request);

        Assert.Equal(200, FunctionHttp.Status(result));
        Assert.Equal("auth0|alice", (await liff.Reader.FindByLineUserAsync(LineUserId, CancellationToken.None))?.ServiceUserId);
        Assert.False(request.HttpContext.Response.Headers.ContainsKey("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("https://evil.example")]
    [InlineData("https://links.example.com.evil.example")]
    [InlineData("http://links.example.com")]
    [InlineData("null")]
    public async Task RunSignedIn_OriginNeitherOursNorAllowed_Returns403AndWritesNothing(string? origin)
    {
        var request = SignedIn($$"""{"idToken":"{{liff.Token()}}"}""", origin);

        var result = await Function(AuthMode.AppService, PartnerOrigin).RunSignedIn(request);

        FunctionHttp.Problem(result, StatusCodes.Status403Forbidden, "origin-not-allowed");
        Assert.False(request.HttpContext.Response.Headers.ContainsKey("Access-Control-Allow-Origin"));
        await AssertNotLinkedAsync();
    }

    [Fact]
    public async Task RunSignedIn_AllowListedOrigin_LinksWithCorsHeadersButNoCredentials()
    {
        var request = SignedIn($$"""{"idToken":"{{liff.Token()}}"}""", PartnerOrigin);

        var result = await Function(AuthMode.AppService, PartnerOrigin).RunSignedIn(request);

        Assert.Equal(200, FunctionHttp.Status(result));
        var headers = request.HttpContext.Response.Headers;
        Assert.Equal(PartnerOrigin, headers.AccessControlAllowOrigin.ToString());
        Assert.Equal("Origin", headers.Vary.ToString());
        Assert.False(headers.ContainsKey("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task RunSignedIn_PreflightFromAllowListedOrigin_Returns204WithCorsHeaders()
    {
        var request = SignedIn("", PartnerOrigin, user: null, method: "OPTIONS");

        var result = await Function(AuthMode.AppService, PartnerOrigin).RunSignedIn(request);

        Assert.Equal(204, FunctionHttp.Status(result));
        var headers = request.HttpContext.Response.Headers;
        Assert.Equal(PartnerOrigin, headers.AccessControlAllowOrigin.ToString());
        Assert.Equal("POST", headers.AccessControlAllowMethods.ToString());
        Assert.Contains("Content-Type", headers.AccessControlAllowHeaders.ToString(), StringComparison.Ordinal);
        Assert.False(headers.ContainsKey("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task RunSignedIn_PreflightFromElsewhere_Returns403WithoutCorsHeaders()
    {
        var request = SignedIn("", "https://evil.example", user: null, method: "OPTIONS");

        var result = await Function(AuthMode.AppService, PartnerOrigin).RunSignedIn(request);

        FunctionHttp.Problem(result, StatusCodes.Status403Forbidden, "origin-not-allowed");
        Assert.False(request.HttpContext.Response.Headers.ContainsKey("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task RunSignedIn_NotSignedIn_Returns401()
    {
        var result = await Function(AuthMode.AppService).RunSignedIn(SignedIn($$"""{"idToken":"{{liff.Token()}}"}""", user: null));

        FunctionHttp.Problem(result, StatusCodes.Status401Unauthorized, "not-signed-in");
        await AssertNotLinkedAsync();
    }

    [Fact]
    public async Task RunSignedIn_AnotherIdentityProvider_Returns403()
    {
        var request = FunctionHttp.Post("/links/liff/me", $$"""{"idToken":"{{liff.Token()}}"}""").AsServiceUser("alice", provider: "github");
        request.Headers.Origin = OwnOrigin;

        var result = await Function(AuthMode.AppService).RunSignedIn(request);

        FunctionHttp.Problem(result, StatusCodes.Status403Forbidden, "service-user-refused");
        await AssertNotLinkedAsync();
    }

    [Theory]
    [InlineData("serviceUserId", "\"mallory\"")]
    [InlineData("userId", "\"U0000000000000000000000000000beef\"")]
    public async Task RunSignedIn_BodyNamesAUser_Returns400AndWritesNothing(string field, string value)
    {
        var result = await Function(AuthMode.AppService).RunSignedIn(SignedIn($$"""{"idToken":"{{liff.Token()}}","{{field}}":{{value}}}"""));

        FunctionHttp.Problem(result, StatusCodes.Status400BadRequest, "client-identity-refused");
        await AssertNotLinkedAsync();
    }
}
