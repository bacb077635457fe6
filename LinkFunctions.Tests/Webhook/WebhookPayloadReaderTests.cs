using System.Text;
using LinkFunctions.Webhook;

namespace LinkFunctions.Tests.Webhook;

public class WebhookPayloadReaderTests
{
    private static WebhookPayload Read(string json)
    {
        var payload = WebhookPayloadReader.TryRead(Encoding.UTF8.GetBytes(json), out var problem);
        Assert.True(payload is not null, $"Rejected: {problem}");
        Assert.Null(problem);
        return payload!;
    }

    private static string Reject(byte[] body)
    {
        var payload = WebhookPayloadReader.TryRead(body, out var problem);
        Assert.Null(payload);
        Assert.False(string.IsNullOrWhiteSpace(problem));
        return problem!;
    }

    private static string Reject(string json) => Reject(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void TryRead_VerifyButtonBody_ReturnsDestinationAndNoEvents()
    {
        var payload = Read("""{"destination":"U8e742f61d673b39c7fff3cecb7536ef0","events":[]}""");

        Assert.Equal("U8e742f61d673b39c7fff3cecb7536ef0", payload.Destination);
        Assert.Empty(payload.Events);
    }

    [Fact]
    public void TryRead_TextMessageEvent_ReadsTheFieldsTheAppActsOn()
    {
        var payload = Read("""
            {"destination":"xxxxxxxxxx","events":[{"replyToken":"nHuyWiB7yP5Zw52FIkcQobQuGDXCTA","type":"message","mode":"active",
             "timestamp":1462629479859,"source":{"type":"user","userId":"U4af4980629f4e5e0aa5e3c8f5b1b2c3d"},
             "webhookEventId":"01FZ74A0TDDPYRVKNK77XKC3ZR","deliveryContext":{"isRedelivery":false},
             "message":{"id":"444573844083572737","type":"text","quoteToken":"q3Plxr4AgKd...","text":"link",
              "emojis":[{"index":0,"length":6,"productId":"5ac1bfd5040ab15980c9b435","emojiId":"001"}]}}]}
            """);

        var e = Assert.Single(payload.Events);
        Assert.Equal("message", e.Type);
        Assert.Equal("active", e.Mode);
        Assert.Equal(1462629479859, e.Timestamp);
        Assert.Equal("nHuyWiB7yP5Zw52FIkcQobQuGDXCTA", e.ReplyToken);
        Assert.Equal("user", e.SourceType);
        Assert.Equal("U4af4980629f4e5e0aa5e3c8f5b1b2c3d", e.SourceUserId);
        Assert.Equal("01FZ74A0TDDPYRVKNK77XKC3ZR", e.WebhookEventId);
        Assert.False(e.IsRedelivery);
        Assert.Equal("text", e.MessageType);
        Assert.Equal("link", e.MessageText);
        Assert.True(e.IsOneToOne);
        Assert.False(e.IsStandby);
    }

    [Fact]
    public void TryRead_FollowEventWithIsUnblocked_ReadsTheEvent()
    {
        var payload = Read("""
            {"destination":"xxxxxxxxxx","events":[{"replyToken":"85cbe770fa8b4f45bbe077b1d4be4a36","type":"follow","mode":"active",
             "timestamp":1705891467176,"source":{"type":"user","userId":"U3d3edab4f36c6292e6d8a8131f141b8b"},
             "webhookEventId":"01HMQGW40RZJPJM3RAJP7BHC2Q","deliveryContext":{"isRedelivery":false},"follow":{"isUnblocked":false}}]}
            """);

        var e = Assert.Single(payload.Events);
        Assert.Equal("follow", e.Type);
        Assert.Equal("85cbe770fa8b4f45bbe077b1d4be4a36", e.ReplyToken);
        Assert.Equal("U3d3edab4f36c6292e6d8a8131f141b8b", e.SourceUserId);
    }

    [Fact]
    public void TryRead_AccountLinkOk_ReadsResultNonceAndSource()
    {
        var payload = Read("""
            {"destination":"xxxxxxxxxx","events":[{"replyToken":"b60d432864f44d079f6d8efe86cf404b","type":"accountLink","mode":"active",
             "source":{"userId":"U91eeaf62d901234567890123456789ab","type":"user"},"timestamp":1513669370317,
             "webhookEventId":"01FZ74A0TDDPYRVKNK77XKC3ZR","deliveryContext":{"isRedelivery":false},
             "link":{"result":"ok","nonce":"xxxxxxxxxxxxxxx"}}]}
            """);

        var e = Assert.Single(payload.Events);
        Assert.Equal("accountLink", e.Type);
        Assert.Equal("ok", e.LinkResult);
        Assert.Equal("xxxxxxxxxxxxxxx", e.LinkNonce);
        Assert.Equal("U91eeaf62d901234567890123456789ab", e.SourceUserId);
        Assert.Equal("b60d432864f44d079f6d8efe86cf404b", e.ReplyToken);
        Assert.Equal(1513669370317, e.Timestamp);
    }

    [Fact]
    public void TryRead_AccountLinkFailedWithoutSourceOrReplyToken_ReadsResultAndNonce()
    {
        var payload = Read("""
            {"destination":"xxxxxxxxxx","events":[{"type":"accountLink","mode":"active","timestamp":1513669370317,
             "webhookEventId":"01FZ74A0TDDPYRVKNK77XKC3ZS","deliveryContext":{"isRedelivery":false},
             "link":{"result":"failed","nonce":"xxxxxxxxxxxxxxx"}}]}
            """);

        var e = Assert.Single(payload.Events);
        Assert.Equal("failed", e.LinkResult);
        Assert.Equal("xxxxxxxxxxxxxxx", e.LinkNonce);
        Assert.Null(e.SourceUserId);
        Assert.Null(e.SourceType);
        Assert.Null(e.ReplyToken);
    }

    [Fact]
    public void TryRead_PostbackEvent_ReadsData()
    {
        var payload = Read("""
            {"destination":"xxxxxxxxxx","events":[{"replyToken":"b60d432864f44d079f6d8efe86cf404b","type":"postback","mode":"active",
             "source":{"userId":"U91eeaf62d901234567890123456789ab","type":"user"},"timestamp":1513669370317,
             "webhookEventId":"01FZ74A0TDDPYRVKNK77XKC3ZR","deliveryContext":{"isRedelivery":false},
             "postback":{"data":"action=unlink","params":{"datetime":"2017-12-25T01:00"}}}]}
            """);

        var e = Assert.Single(payload.Events);
        Assert.Equal("postback", e.Type);
        Assert.Equal("action=unlink", e.PostbackData);
    }

    [Theory]
    [InlineData("\\ud800", "\\udfff")]
    [InlineData("a\\udbff", "\\ud83d\\u0041")]
    public void TryRead_EscapedLoneSurrogates_KeepsTheEventWithoutThoseFields(string text, string type)
    {
        var payload = Read($$$"""
            {"destination":"x","events":[{"type":"{{{type}}}","mode":"active","source":{"type":"user","userId":"U4af4980629f4e5e0aa5e3c8f5b1b2c3d"},
             "message":{"type":"text","text":"{{{text}}}"}},{"type":"follow"}]}
            """);

        Assert.Equal(2, payload.Events.Count);
        Assert.Null(payload.Events[0].Type);
        Assert.Null(payload.Events[0].MessageText);
        Assert.Equal("U4af4980629f4e5e0aa5e3c8f5b1b2c3d", payload.Events[0].SourceUserId);
        Assert.Equal("follow", payload.Events[1].Type);
    }

    [Fact]
    public void TryRead_UnknownEventType_KeepsTheEventWithItsType()
    {
        var payload = Read("""
            {"destination":"xxxxxxxxxx","events":[{"type":"undefined","mode":"active","timestamp":1462629479859,
             "source":{"type":"user","userId":"U206d25c2ea6bd87c17655609a1c37cb8"},"webhookEventId":"testwebhookeventid",
             "deliveryContext":{"isRedelivery":false},"somethingNew":{"a":[1,2,{"b":null}]}}]}
            """);

        var e = Assert.Single(payload.Events);
        Assert.Equal("undefined", e.Type);
    }

    [Fact]
    public void TryRead_SdkFixtureIdsThatAreNotRealFormat_AreKeptVerbatim()
    {
        var payload = Read("""
            {"destination":"xxxxxxxxxx","events":[
             {"type":"message","replyToken":"xxxxxxxxxx","timestamp":12345678901234,"mode":"active",
              "source":{"type":"user","userId":"U123"},"webhookEventId":"testwebhookeventid",
              "deliveryContext":{"isRedelivery":false},"message":{"type":"text","id":"325708","text":"Hello, world"}},
             {"type":"follow","replyToken":"xxxxxxxxxx","timestamp":12345678901234,"mode":"active",
              "source":{"type":"group","groupId":"xxxxxxxxxx","userId":"u206d25c2ea6bd87c17655609a1c37cb8"}}]}
            """);

        Assert.Equal(2, payload.Events.Count);
        Assert.Equal("U123", payload.Events[0].SourceUserId);
        Assert.Equal("testwebhookeventid", payload.Events[0].WebhookEventId);
        Assert.Equal("Hello, world", payload.Events[0].MessageText);
        Assert.Equal("group", payload.Events[1].SourceType);
        Assert.Equal("u206d25c2ea6bd87c17655609a1c37cb8", payload.Events[1].SourceUserId);
    }

    [Fact]
    public void TryRead_EventWithoutWebhookEventIdOrDeliveryContext_IsAccepted()
    {
        var payload = Read("""
            {"events":[{"replyToken":"nHuyWiB7yP5Zw52FIkcQobQuGDXCTA","type":"message","timestamp":1462629479859,
             "source":{"type":"user","userId":"U4af4980629f4e5e0aa5e3c8f5b1b2c3d"},"message":{"id":"325708","type":"text","text":"link"}}]}
            """);

        var e = Assert.Single(payload.Events);
        Assert.Null(payload.Destination);
        Assert.Null(e.WebhookEventId);
        Assert.Null(e.Mode);
        Assert.False(e.IsRedelivery);
        Assert.Equal("link", e.MessageText);
    }

    [Fact]
    public void TryRead_RedeliveredEvent_SetsIsRedelivery()
    {
        var payload = Read("""
            {"destination":"xxxxxxxxxx","events":[{"type":"follow","mode":"active","timestamp":1705891467176,
             "source":{"type":"user","userId":"U3d3edab4f36c6292e6d8a8131f141b8b"},"webhookEventId":"01HMQGW40RZJPJM3RAJP7BHC2Q",
             "deliveryContext":{"isRedelivery":true},"follow":{"isUnblocked":true}}]}
            """);

        Assert.True(Assert.Single(payload.Events).IsRedelivery);
    }

    [Fact]
    public void TryRead_StandbyEvent_SetsMode()
    {
        var payload = Read("""{"events":[{"type":"message","mode":"standby","source":{"type":"user","userId":"U3d3edab4f36c6292e6d8a8131f141b8b"}}]}""");

        Assert.True(Assert.Single(payload.Events).IsStandby);
    }

    [Fact]
    public void TryRead_UnknownPropertiesNestedEverywhere_AreSkippedWithoutLosingKnownFields()
    {
        var payload = Read("""
            {"extra":{"deep":[[{"x":[1,{"y":"z"}]}]]},"destination":"Uabc","more":[{"events":"not this one"}],
             "events":[{"first":{"type":"not the event type"},"type":"accountLink","other":[{"link":{"nonce":"wrong"}}],
               "source":{"room":{"id":"R1"},"type":"user","extra":[1,2,3],"userId":"U91eeaf62d901234567890123456789ab"},
               "link":{"extra":{"nonce":"also wrong"},"result":"ok","nonce":"right"},
               "deliveryContext":{"x":{"isRedelivery":false},"isRedelivery":true},
               "message":{"text":{"nested":"object"},"type":"text"},
               "timestamp":1513669370317,"trailing":null}],
             "last":true}
            """);

        Assert.Equal("Uabc", payload.Destination);
        var e = Assert.Single(payload.Events);
        Assert.Equal("accountLink", e.Type);
        Assert.Equal("user", e.SourceType);
        Assert.Equal("U91eeaf62d901234567890123456789ab", e.SourceUserId);
        Assert.Equal("ok", e.LinkResult);
        Assert.Equal("right", e.LinkNonce);
        Assert.True(e.IsRedelivery);
        Assert.Equal("text", e.MessageType);
        Assert.Null(e.MessageText);
        Assert.Equal(1513669370317, e.Timestamp);
    }

    [Fact]
    public void TryRead_EventWithWronglyTypedFields_IsKeptWithTheValidFields()
    {
        var payload = Read("""
            {"events":[{"type":123,"source":"x","timestamp":"yesterday","replyToken":{"a":1},"webhookEventId":["id"],
              "deliveryContext":[true],"link":"ok","message":{"type":"text","text":"link"}},
             {"type":"follow","timestamp":1.5,"mode":false,"deliveryContext":{"isRedelivery":"yes"}}]}
            """);

        Assert.Equal(2, payload.Events.Count);
        var first = payload.Events[0];
        Assert.Null(first.Type);
        Assert.Null(first.SourceType);
        Assert.Null(first.SourceUserId);
        Assert.Null(first.Timestamp);
        Assert.Null(first.ReplyToken);
        Assert.Null(first.WebhookEventId);
        Assert.Null(first.LinkResult);
        Assert.Equal("link", first.MessageText);
        var second = payload.Events[1];
        Assert.Equal("follow", second.Type);
        Assert.Null(second.Timestamp);
        Assert.Null(second.Mode);
        Assert.False(second.IsRedelivery);
    }

    [Fact]
    public void TryRead_EventsThatAreNotObjects_AreSkippedAndTheRestKept()
    {
        var payload = Read("""{"events":[42,"text",null,true,[{"type":"message"}],{"type":"follow"},{}]}""");

        Assert.Equal(2, payload.Events.Count);
        Assert.Equal("follow", payload.Events[0].Type);
        Assert.Null(payload.Events[1].Type);
    }

    [Fact]
    public void TryRead_LeadingUtf8Bom_IsAccepted()
    {
        var body = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("""{"events":[{"type":"follow"}]}""")).ToArray();

        var payload = WebhookPayloadReader.TryRead(body, out var problem);

        Assert.NotNull(payload);
        Assert.Null(problem);
        Assert.Equal("follow", Assert.Single(payload.Events).Type);
    }

    [Fact]
    public void TryRead_NonAsciiText_IsDecoded()
    {
        var payload = Read("""{"events":[{"type":"message","message":{"type":"text","text":"連携 \ud83d\ude00"}}]}""");

        Assert.Equal("連携 😀", Assert.Single(payload.Events).MessageText);
    }

    [Fact]
    public void TryRead_WhitespaceAroundTheObject_IsAccepted()
    {
        var payload = Read(" \r\n\t{\"events\":[]} \n");

        Assert.Empty(payload.Events);
    }

    [Fact]
    public void TryRead_NestingExactlyMaxDepth_IsAccepted()
    {
        // body (1) > events (2) > event (3) > "x" arrays up to MaxDepth
        var inner = WebhookPayloadReader.MaxDepth - 3;
        var json = $$"""{"events":[{"type":"follow","x":{{new string('[', inner)}}{{new string(']', inner)}}}]}""";

        var payload = Read(json);

        Assert.Equal("follow", Assert.Single(payload.Events).Type);
    }

    [Fact]
    public void TryRead_InvalidUtf8_IsRejected()
    {
        var body = Encoding.UTF8.GetBytes("""{"events":[{"type":"message","message":{"type":"text","text":"__"}}]}""");
        var at = Array.IndexOf(body, (byte)'_');
        body[at] = 0xC3;
        body[at + 1] = 0x28;

        var problem = Reject(body);

        Assert.Contains("UTF-8", problem);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("""{"events":[]""")]
    [InlineData("""{"events":[},""")]
    [InlineData("""{"events":[],}""")]
    [InlineData("""{'events':[]}""")]
    [InlineData("""{"events":[] /* comment */}""")]
    [InlineData("""{"events":[{"type":"follow"]}""")]
    public void TryRead_NotWellFormedJson_IsRejected(string json)
    {
        Reject(json);
    }

    [Theory]
    [InlineData("""[{"events":[]}]""")]
    [InlineData("\"events\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("true")]
    public void TryRead_TopLevelNotAnObject_IsRejectedNamingTheObject(string json)
    {
        var problem = Reject(json);

        Assert.Contains("object", problem);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"destination":"U8e742f61d673b39c7fff3cecb7536ef0"}""")]
    [InlineData("""{"events":{}}""")]
    [InlineData("""{"events":null}""")]
    [InlineData("""{"events":"[]"}""")]
    [InlineData("""{"events":1}""")]
    [InlineData("""{"Events":[]}""")]
    public void TryRead_EventsMissingOrNotAnArray_IsRejectedNamingEvents(string json)
    {
        var problem = Reject(json);

        Assert.Contains("events", problem);
    }

    [Fact]
    public void TryRead_NestedDeeperThanMaxDepth_IsRejected()
    {
        var inner = WebhookPayloadReader.MaxDepth - 2;
        var json = $$"""{"events":[{"type":"follow","x":{{new string('[', inner)}}{{new string(']', inner)}}}]}""";

        var problem = Reject(json);

        Assert.Contains(WebhookPayloadReader.MaxDepth.ToString(System.Globalization.CultureInfo.InvariantCulture), problem);
    }

    [Fact]
    public void TryRead_VeryDeepNestingInAnUnknownTopLevelProperty_IsRejected()
    {
        var json = $$"""{"x":{{new string('[', 10_000)}}{{new string(']', 10_000)}},"events":[]}""";

        Reject(json);
    }

    [Theory]
    [InlineData("{}{}")]
    [InlineData("""{"events":[]}{"events":[]}""")]
    [InlineData("""{"events":[]}x""")]
    [InlineData("""{"events":[]}]""")]
    [InlineData("""{"events":[]} 1""")]
    public void TryRead_TrailingContent_IsRejected(string json)
    {
        Reject(json);
    }

    [Fact]
    public void TryRead_WithFilter_KeepsOnlyTheAcceptedEventsWithEveryField()
    {
        var asked = new List<(string? Type, string? MessageType, string? Text, string? Data)>();
        var body = Encoding.UTF8.GetBytes("""
            {"events":[
             {"type":"message","replyToken":"r1","source":{"type":"user","userId":"U4af4980629f4e5e0aa5e3c8f5b1b2c3d"},
              "webhookEventId":"e1","message":{"type":"text","text":"hello"}},
             {"type":"accountLink","replyToken":"r2","source":{"type":"user","userId":"U4af4980629f4e5e0aa5e3c8f5b1b2c3d"},
              "webhookEventId":"e2","link":{"result":"ok","nonce":"n2"}},
             {"type":"postback","replyToken":"r3","postback":{"data":"action=unlink"}}]}
            """);

        var payload = WebhookPayloadReader.TryRead(
            body,
            (type, messageType, text, data) =>
            {
                asked.Add((type, messageType, text, data));
                return type == "accountLink";
            },
            out var problem);

        Assert.Null(problem);
        var kept = Assert.Single(payload!.Events);
        Assert.Equal(("accountLink", "r2", "U4af4980629f4e5e0aa5e3c8f5b1b2c3d", "e2", "ok", "n2"),
            (kept.Type, kept.ReplyToken, kept.SourceUserId, kept.WebhookEventId, kept.LinkResult, kept.LinkNonce));
        Assert.Equal([("message", "text", "hello", null), ("accountLink", null, null, null), ("postback", null, null, "action=unlink")], asked);
    }

    [Fact]
    public void TryRead_EscapedNamesAndValues_ReadAsTheirUnescapedText()
    {
        var payload = Read("""
            {"events":[{"\u0074ype":"message","replyToken":"r\u0031","source":{"type":"user","user\u0049d":"U4af4980629f4e5e0aa5e3c8f5b1b2c3d"},
             "message":{"type":"text","text":"\"\u9023\u643a\" \\ \ud83d\ude00"}}]}
            """);

        var e = Assert.Single(payload.Events);
        Assert.Equal("message", e.Type);
        Assert.Equal("r1", e.ReplyToken);
        Assert.Equal("U4af4980629f4e5e0aa5e3c8f5b1b2c3d", e.SourceUserId);
        Assert.Equal("\"連携\" \\ 😀", e.MessageText);
    }

    [Fact]
    public void TryRead_EmptyStringValues_AreEmptyNotMissing()
    {
        var payload = Read("""{"events":[{"type":"message","replyToken":"","message":{"type":"text","text":""}}]}""");

        var e = Assert.Single(payload.Events);
        Assert.Equal("", e.ReplyToken);
        Assert.Equal("", e.MessageText);
        Assert.Null(e.WebhookEventId);
    }
}
