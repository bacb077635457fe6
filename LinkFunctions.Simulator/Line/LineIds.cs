using System.Security.Cryptography;

namespace LinkFunctions.Simulator.Line;

/// <summary>Identifiers in LINE's real formats, so that the app's validation sees what production sends.</summary>
public static class LineIds
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>"U" and 32 lowercase hex digits.</summary>
    public static string NewUserId() => "U" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>webhookEventId: a ULID, 26 Crockford base32 characters, time first so that IDs sort by creation.</summary>
    public static string NewWebhookEventId()
    {
        Span<char> id = stackalloc char[26];
        var time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 9; i >= 0; i--, time >>= 5)
        {
            id[i] = Crockford[(int)(time & 31)];
        }

        for (var i = 10; i < 26; i++)
        {
            id[i] = Crockford[RandomNumberGenerator.GetInt32(32)];
        }

        return new string(id);
    }

    /// <summary>An opaque token (link token, reply token, code): URL-safe, as LINE's are.</summary>
    public static string NewToken(int bytes = 24) => Base64UrlToken(RandomNumberGenerator.GetBytes(bytes));

    /// <summary>A message ID: LINE's are decimal strings of 18 digits.</summary>
    public static string NewMessageId() => RandomNumberGenerator.GetInt32(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture)
        + RandomNumberGenerator.GetInt32(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Base64UrlToken(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
