using System.Text;
using LinkFunctions.Webhook;

namespace LinkFunctions.Tests.Webhook;

public class WebhookSignatureTests
{
    // LINE's published known-answer vector for x-line-signature.
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("8c570fa6dd201bb328f1c1eac23a96d8");
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"destination":"U8e742f61d673b39c7fff3cecb7536ef0","events":[]}""");
    private const string Expected = "GhRKmvmHys4Pi8DxkF4+EayaH0OqtJtaZxgTD9fMDLs=";

    [Fact]
    public void Compute_LineKnownAnswerVector_ReturnsPublishedSignature()
    {
        var signature = WebhookSignature.Compute(Secret, Body);

        Assert.Equal(Expected, signature);
    }

    [Fact]
    public void Matches_LineKnownAnswerVector_ReturnsTrue()
    {
        var signature = new byte[WebhookSignature.Length];
        Assert.True(WebhookSignature.TryDecode(Expected, signature));

        var matches = WebhookSignature.Matches(Secret, Body, signature);

        Assert.True(matches);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    [InlineData(62)]
    public void Matches_OneBodyByteChanged_ReturnsFalse(int index)
    {
        var signature = Convert.FromBase64String(Expected);
        var tampered = (byte[])Body.Clone();
        tampered[index] ^= 0x01;

        var matches = WebhookSignature.Matches(Secret, tampered, signature);

        Assert.False(matches);
    }

    [Fact]
    public void Matches_OneSignatureByteChanged_ReturnsFalse()
    {
        var signature = Convert.FromBase64String(Expected);
        signature[^1] ^= 0x80;

        var matches = WebhookSignature.Matches(Secret, Body, signature);

        Assert.False(matches);
    }

    [Fact]
    public void Matches_OtherSecret_ReturnsFalse()
    {
        var signature = Convert.FromBase64String(Expected);
        var otherSecret = Encoding.UTF8.GetBytes("8c570fa6dd201bb328f1c1eac23a96d9");

        var matches = WebhookSignature.Matches(otherSecret, Body, signature);

        Assert.False(matches);
    }

    [Fact]
    public void TryDecode_ValidHeader_WritesThe32Bytes()
    {
        var signature = new byte[WebhookSignature.Length];

        var decoded = WebhookSignature.TryDecode(Expected, signature);

        Assert.True(decoded);
        Assert.Equal(Convert.FromBase64String(Expected), signature);
    }

    public static TheoryData<string?> MalformedHeaders => new()
    {
        null,
        "",
        "GhRKmvmHys4Pi8DxkF4+EayaH0OqtJtaZxgTD9fMDLs",                // 43 characters: padding missing
        "GhRKmvmHys4Pi8DxkF4+EayaH0OqtJtaZxgTD9fMDLs==",              // 45 characters
        "GhRKmvmHys4Pi8DxkF4+EayaH0OqtJtaZxgTD9fMDLs=GhRK",           // 48 characters
        "GhRKmvmHys4Pi8DxkF4+EayaH0OqtJtaZxgTD9fMDL!=",               // not base64
        "GhRKmvmHys4Pi8DxkF4-EayaH0OqtJtaZxgTD9fMDLs=",               // base64url alphabet
        "GhRKmvmHys4Pi8DxkF4+EayaH0OqtJtaZxgTD9fMD s=",               // a space inside
        Convert.ToBase64String(new byte[31]),                          // 44 characters, 31 bytes
        Convert.ToBase64String(new byte[33]),                          // 44 characters, 33 bytes
        Convert.ToBase64String(new byte[16]),
        Convert.ToBase64String(new byte[64]),
    };

    [Theory]
    [MemberData(nameof(MalformedHeaders))]
    public void TryDecode_MalformedHeader_ReturnsFalse(string? header)
    {
        var signature = new byte[WebhookSignature.Length];

        var decoded = WebhookSignature.TryDecode(header, signature);

        Assert.False(decoded);
    }
}
