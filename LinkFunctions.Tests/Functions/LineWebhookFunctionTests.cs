using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using LinkFunctions.Functions;
using LinkFunctions.Storage;
using LinkFunctions.Tests.Webhook;
using LinkFunctions.Webhook;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Moq;

namespace LinkFunctions.Tests.Functions;

public class LineWebhookFunctionTests
{
    /// <summary>Japanese, an escaped hiragana, escaped quotes, an escaped slash and a surrogate pair, as LINE may send them.</summary>
    private const string EscapedTextBody =
        """{"destination":"U8e742f61d673b39c7fff3cecb7536ef0","events":[{"type":"message","mode":"active","timestamp":1700000000000,"source":{"type":"user","userId":"U4af4980629f4e5e0aa5e3c8f5b1b2c3d"},"webhookEventId":"01HZX3V5Q2W4B6N8M0K2J4H6G8","deliveryContext":{"isRedelivery":false},"replyToken":"b60d432864f44d079f6d8efe86cf404b","message":{"id":"444573844083572737","type":"text","quoteToken":"q3Plxr4AgKd","text":"こんにちは \u3042 \"q\" \/ 🍣"}}]}""";

    private const string EmptyBody = """{"destination":"U8e742f61d673b39c7fff3cecb7536ef0","events":[]}""";

    private readonly WebhookTestApp app = new();

    private static HttpRequest Webhook(string body, string? signature, bool withContentLength = true)
    {
        var request = FunctionHttp.Post("/line/webhook", body, withContentLength);
        if (signature is not null)
        {
            request.Headers[WebhookSignature.HeaderName] = signature;
        }

        return request;
    }

    [Fact]
    public async Task Run_SignedVerifyBody_Returns200()
    {
        var result = await new LineWebhookFunction(app.Processor).Run(Webhook(EmptyBody, WebhookTestApp.Sign(EmptyBody)));

        Assert.IsType<OkResult>(result);
    }

    [Fact]
    public async Task Run_SignedVerifyBodyWithoutContentLength_Returns200()
    {
        var result = await new LineWebhookFunction(app.Processor).Run(Webhook(EmptyBody, WebhookTestApp.Sign(EmptyBody), withContentLength: false));

        Assert.IsType<OkResult>(result);
    }

    [Fact]
    public async Task Run_NoSignature_Returns401Problem()
    {
        var result = await new LineWebhookFunction(app.Processor).Run(Webhook(EmptyBody, null));

        FunctionHttp.Problem(result, StatusCodes.Status401Unauthorized, "invalid-signature");
    }

    [Fact]
    public async Task Run_WrongSignature_Returns401Problem()
    {
        var result = await new LineWebhookFunction(app.Processor).Run(Webhook(EmptyBody, WebhookTestApp.Sign(EmptyBody, "another-secret")));

        FunctionHttp.Problem(result, StatusCodes.Status401Unauthorized, "invalid-signature");
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Run_SignatureHeaderTwice_Returns401Problem(bool firstValid, bool secondValid)
    {
        var signature = WebhookTestApp.Sign(EmptyBody);
        var request = Webhook(EmptyBody, null);
        request.Headers[WebhookSignature.HeaderName] = new([firstValid ? signature : "garbage", secondValid ? signature : "garbage"]);

        var result = await new LineWebhookFunction(app.Processor).Run(request);

        FunctionHttp.Problem(result, StatusCodes.Status401Unauthorized, "invalid-signature");
    }

    [Fact]
    public async Task Run_SignedBodyWithAnEscapedLoneSurrogate_Returns200NotARedelivery()
    {
        var body = EscapedTextBody.Replace("\\u3042", "\\ud800", StringComparison.Ordinal);

        var result = await new LineWebhookFunction(app.Processor).Run(Webhook(body, WebhookTestApp.Sign(body)));

        Assert.IsType<OkResult>(result);
    }

    [Fact]
    public async Task Run_SignedBodyThatIsNotJson_Returns400Problem()
    {
        const string body = "{\"events\":[";

        var result = await new LineWebhookFunction(app.Processor).Run(Webhook(body, WebhookTestApp.Sign(body)));

        FunctionHttp.Problem(result, StatusCodes.Status400BadRequest, "invalid-webhook-body");
    }

    [Fact]
    public async Task Run_Oversize_Returns413Problem()
    {
        var request = Webhook(EmptyBody, WebhookTestApp.Sign(EmptyBody));
        request.ContentLength = WebhookBody.MaxBytes + 1L;

        var result = await new LineWebhookFunction(app.Processor).Run(request);

        FunctionHttp.Problem(result, StatusCodes.Status413PayloadTooLarge, "body-too-large");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Run_BodyOfExactly1048576Bytes_PassesTheCapAndReturns200(bool withContentLength)
    {
        // Literals, not WebhookBody.MaxBytes: a test that reads the constant cannot notice the cap change.
        var body = PaddedBody(1_048_576);

        var result = await new LineWebhookFunction(app.Processor).Run(Webhook(body, WebhookTestApp.Sign(body), withContentLength));

        Assert.IsType<OkResult>(result);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Run_BodyOf1048577Bytes_Returns413Problem(bool withContentLength)
    {
        var body = PaddedBody(1_048_577);

        var result = await new LineWebhookFunction(app.Processor).Run(Webhook(body, WebhookTestApp.Sign(body), withContentLength));

        FunctionHttp.Problem(result, StatusCodes.Status413PayloadTooLarge, "body-too-large");
    }

    [Fact]
    public async Task Run_NonAsciiAndEscapedTextSignedAsSent_Returns200()
    {
        var result = await new LineWebhookFunction(app.Processor).Run(Webhook(EscapedTextBody, WebhookTestApp.Sign(EscapedTextBody)));

        Assert.IsType<OkResult>(result);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_SameJsonReserialisedUnderTheOriginalSignature_Returns401Problem(bool unescaped)
    {
        // The HMAC is over the bytes LINE sent: \u3042, \" and \/ re-encoded (or decoded) are other bytes.
        var reserialised = JsonNode.Parse(EscapedTextBody)!.ToJsonString(
            new JsonSerializerOptions { Encoder = unescaped ? JavaScriptEncoder.UnsafeRelaxedJsonEscaping : JavaScriptEncoder.Default });
        Assert.NotEqual(EscapedTextBody, reserialised);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(EscapedTextBody), JsonNode.Parse(reserialised)));

        var result = await new LineWebhookFunction(app.Processor).Run(Webhook(reserialised, WebhookTestApp.Sign(EscapedTextBody)));

        FunctionHttp.Problem(result, StatusCodes.Status401Unauthorized, "invalid-signature");
    }

    [Fact]
    public async Task Run_UnexpectedExceptionFromStorage_Returns503SoLineRedelivers()
    {
        app.Transient.Setup(t => t.ReadNonceAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new JsonException("malformed document"));
        var body = $$$"""{"events":[{"type":"accountLink","source":{"type":"user","userId":"U4af4980629f4e5e0aa5e3c8f5b1b2c3d"},"timestamp":1513669370317,"webhookEventId":"e1","link":{"result":"ok","nonce":"{{{LinkFunctions.Linking.Nonce.Create()}}}"}}]}""";

        var result = await new LineWebhookFunction(app.Processor).Run(Webhook(body, WebhookTestApp.Sign(body)));

        FunctionHttp.Problem(result, StatusCodes.Status503ServiceUnavailable, "redeliver");
    }

    /// <summary>A signed Verify-shaped body padded to exactly <paramref name="bytes"/> UTF-8 bytes.</summary>
    private static string PaddedBody(int bytes)
    {
        const string prefix = "{\"destination\":\"U8e742f61d673b39c7fff3cecb7536ef0\",\"events\":[],\"pad\":\"";
        var body = prefix + new string('x', bytes - prefix.Length - 2) + "\"}";
        Assert.Equal(bytes, Encoding.UTF8.GetByteCount(body));
        return body;
    }

    [Fact]
    public async Task Run_AccountLinkNotStored_Returns503SoLineRedelivers()
    {
        app.Transient.Setup(t => t.ReadNonceAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new StorageException("read", 503));
        var body = $$$"""{"events":[{"type":"accountLink","source":{"type":"user","userId":"U4af4980629f4e5e0aa5e3c8f5b1b2c3d"},"timestamp":1513669370317,"webhookEventId":"e1","link":{"result":"ok","nonce":"{{{LinkFunctions.Linking.Nonce.Create()}}}"}}]}""";

        var result = await new LineWebhookFunction(app.Processor).Run(Webhook(body, WebhookTestApp.Sign(body)));

        FunctionHttp.Problem(result, StatusCodes.Status503ServiceUnavailable, "redeliver");
    }

    [Fact]
    public async Task Run_SignatureHeaderInAnotherCase_IsRead()
    {
        var request = FunctionHttp.Post("/line/webhook", Encoding.UTF8.GetBytes(EmptyBody));
        request.Headers["X-Line-Signature"] = WebhookTestApp.Sign(EmptyBody);

        var result = await new LineWebhookFunction(app.Processor).Run(request);

        Assert.IsType<OkResult>(result);
    }

    [Fact]
    public async Task Run_ColdInstanceAndVaultDown_Returns503SoLineRedelivers()
    {
        app.SecretSource.Failure = new Azure.RequestFailedException(503, "vault unavailable");

        var result = await new LineWebhookFunction(app.Processor).Run(Webhook(EmptyBody, WebhookTestApp.Sign(EmptyBody)));

        FunctionHttp.Problem(result, StatusCodes.Status503ServiceUnavailable, "redeliver");
    }

    [Fact]
    public async Task Run_VaultDownWhileASecretIsHeld_Returns200()
    {
        await new LineWebhookFunction(app.Processor).Run(Webhook(EmptyBody, WebhookTestApp.Sign(EmptyBody)));
        app.SecretSource.Failure = new Azure.RequestFailedException(503, "vault unavailable");
        app.Time.Advance(TimeSpan.FromDays(1));

        var result = await new LineWebhookFunction(app.Processor).Run(Webhook(EmptyBody, WebhookTestApp.Sign(EmptyBody)));

        Assert.IsType<OkResult>(result);
    }

    [Fact]
    public async Task Run_ClientStopsSendingTheBody_Returns400Problem()
    {
        var request = Webhook(EmptyBody, WebhookTestApp.Sign(EmptyBody, "another-secret"));
        request.Body = new StalledStream(new IOException("Unexpected end of request content."));

        var result = await new LineWebhookFunction(app.Processor).Run(request);

        FunctionHttp.Problem(result, StatusCodes.Status400BadRequest, "invalid-webhook-body");
    }
}
