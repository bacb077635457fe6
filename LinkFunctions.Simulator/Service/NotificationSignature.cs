using System.Security.Cryptography;
using System.Text;

namespace LinkFunctions.Simulator.Service;

/// <summary>
/// The app's link notifications are signed like LINE's webhooks: <c>X-LinkFunctions-Signature</c> is the base64
/// HMAC-SHA256 of the raw body bytes, keyed with the notify secret. Checked before the body is trusted.
/// </summary>
public static class NotificationSignature
{
    public const string SignatureHeader = "X-LinkFunctions-Signature";
    public const string EventIdHeader = "X-LinkFunctions-Event-Id";

    public static string Compute(string secret, byte[] body) => Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static bool IsValid(string secret, byte[] body, string? signature)
    {
        if (string.IsNullOrEmpty(signature))
        {
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);
        var presented = new byte[expected.Length + 1];
        return Convert.TryFromBase64String(signature, presented, out var length) && length == expected.Length
            && CryptographicOperations.FixedTimeEquals(expected, presented.AsSpan(0, length));
    }
}
