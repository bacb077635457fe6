using System.Text;
using LinkFunctions.Simulator.Service;

namespace LinkFunctions.Tests.Simulator;

/// <summary>The fixed notification scheme: base64 HMAC-SHA256 of the raw body, keyed with the notify secret.</summary>
public class NotificationSignatureTests
{
    private const string Secret = "simulator-link-notify-secret";

    private static readonly byte[] Sample = Encoding.UTF8.GetBytes(
        """{"id":"01JBZ7Q0000000000000000000","type":"link.linked","serviceUserId":"alice","lineUserId":"U0123456789abcdef0123456789abcdef","method":"messaging-api","occurredAt":"2026-11-01T00:00:00+00:00"}""");

    [Fact]
    public void IsValid_SignedSample_True()
    {
        // Computed outside the code under test: printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret" -binary | base64.
        Assert.True(NotificationSignature.IsValid(Secret, Sample, "1jjrpY55OfxYw7g0IW67Gy1wBkmEfpCg1i4jlMPdVrE="));
    }

    [Fact]
    public void IsValid_BodyChangedAfterSigning_False()
    {
        var signature = NotificationSignature.Compute(Secret, Sample);
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Sample).Replace("alice", "mallory", StringComparison.Ordinal));

        Assert.False(NotificationSignature.IsValid(Secret, tampered, signature));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")]
    public void IsValid_MissingOrMalformedSignature_False(string? signature)
    {
        Assert.False(NotificationSignature.IsValid(Secret, Sample, signature));
    }

    [Fact]
    public void IsValid_OtherSecret_False()
    {
        Assert.False(NotificationSignature.IsValid(Secret, Sample, NotificationSignature.Compute("another-secret", Sample)));
    }
}
