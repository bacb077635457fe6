using System.Security.Cryptography;

namespace LinkFunctions.Webhook;

/// <summary>LINE's <c>x-line-signature</c>: Base64(HMAC-SHA256(channel secret, raw body)).</summary>
public static class WebhookSignature
{
    public const string HeaderName = "x-line-signature";
    public const int Length = 32;

    /// <summary>Decodes the header; false unless it is valid base64 of exactly 32 bytes.</summary>
    public static bool TryDecode(string? header, Span<byte> signature)
    {
        // 32 bytes are 44 base64 characters; reject anything else before decoding.
        if (header is null || header.Length != 44)
        {
            return false;
        }

        return Convert.TryFromBase64String(header, signature, out var written) && written == Length;
    }

    // Setting up the key costs about as much as hashing a one-event body, so each thread keeps its keyed HMAC
    // until the secret changes (a refetch hands over a new array).
    [ThreadStatic]
    private static HMACSHA256? keyedHmac;

    [ThreadStatic]
    private static byte[]? keyedFor;

    /// <summary>Checks the raw bytes, never a re-serialised body, and compares in constant time.</summary>
    public static bool Matches(ReadOnlySpan<byte> channelSecret, ReadOnlySpan<byte> body, ReadOnlySpan<byte> signature)
    {
        Span<byte> expected = stackalloc byte[Length];
        HMACSHA256.HashData(channelSecret, body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, signature);
    }

    /// <inheritdoc cref="Matches(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>
    public static bool Matches(byte[] channelSecret, ReadOnlySpan<byte> body, ReadOnlySpan<byte> signature)
    {
        var hmac = keyedHmac;
        if (hmac is null || !ReferenceEquals(keyedFor, channelSecret))
        {
            hmac?.Dispose();
            keyedHmac = hmac = new HMACSHA256(channelSecret);
            keyedFor = channelSecret;
        }

        Span<byte> expected = stackalloc byte[Length];
        return hmac.TryComputeHash(body, expected, out _) && CryptographicOperations.FixedTimeEquals(expected, signature);
    }

    public static string Compute(ReadOnlySpan<byte> channelSecret, ReadOnlySpan<byte> body) =>
        Convert.ToBase64String(HMACSHA256.HashData(channelSecret, body));
}
