using System.Text;
using LinkFunctions.Tests.TestSupport;
using LinkFunctions.Webhook;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace LinkFunctions.Tests.Proof;

/// <summary>
/// The webhook: a body of some class, then a signature that is right, absent, garbage, doubled, from another secret,
/// or over bytes that differ by one from the body sent. The answer follows the processor's order: a declared length
/// over 1 MiB is 413 at once; a missing or malformed signature 401 before any read; an over-cap stream 413; a
/// mismatch 401; then the body's own class (200 or 400).
/// </summary>
public static partial class HostileProfiles
{
    private enum Signature
    {
        Valid,
        Missing,
        Malformed,
        Mismatch,
    }

    private static Task<HostileCase> Webhook(Junk junk, HostileContext context)
    {
        var secrets = new List<string>();
        var (kind, body, status) = WebhookJunk.Body(junk, secrets);
        var sent = body;
        var valid = WebhookSignature.Compute(Encoding.UTF8.GetBytes(TestApp.ChannelSecret), body);
        (string Kind, Signature State, StringValues Header) signature = junk.Next(12) switch
        {
            0 => ("missing", Signature.Missing, StringValues.Empty),
            1 => ("garbage", Signature.Malformed, Garbage(junk, valid)),
            2 => ("doubled", Signature.Malformed, junk.Pick<StringValues>(new([valid, valid]), new([valid, Garbage(junk, valid)]), new([Garbage(junk, valid), valid]))),
            3 => ("other-secret", Signature.Mismatch, WebhookSignature.Compute(junk.Bytes(32), body)),
            4 => ("one-byte-off", Signature.Mismatch, valid),
            _ => ("valid", Signature.Valid, valid),
        };
        if (signature.Kind == "one-byte-off")
        {
            sent = OneByteOff(junk, body);
        }

        var contentLength = junk.Chance(0.8);
        var request = HostileHttp.Request(HttpMethods.Post, "/line/webhook", "", sent, junk.Pick("application/json; charset=utf-8", "text/plain", null), contentLength);
        if (signature.State != Signature.Missing)
        {
            request.Headers[junk.Chance(0.8) ? WebhookSignature.HeaderName : "X-Line-Signature"] = signature.Header;
        }

        var expected = (contentLength && sent.Length > WebhookBody.MaxBytes) ? 413
            : signature.State is Signature.Missing or Signature.Malformed ? 401
            : sent.Length > WebhookBody.MaxBytes ? 413
            : signature.State == Signature.Mismatch ? 401
            : status;
        return Task.FromResult(new HostileCase($"{kind}/{signature.Kind}", request, expected) { Secrets = [.. secrets, .. signature.Header.Select(h => h!)] });
    }

    /// <summary>Never a valid signature: wrong length, wrong alphabet, wrong encoding of the right MAC, or padding games.</summary>
    private static string Garbage(Junk junk, string valid)
    {
        var candidate = junk.Next(7) switch
        {
            0 => junk.Text(60),
            1 => junk.Chars("!@#$%^&*()<>?ÄÖ", 44),
            2 => Convert.ToBase64String(junk.Bytes(junk.Pick(31, 33, 48, 0))),
            3 => Convert.ToHexString(Convert.FromBase64String(valid)).ToLowerInvariant(),
            4 => valid.Replace('+', '-').Replace('/', '_').TrimEnd('='),
            5 => junk.Pick(" ", "\t") + valid,
            _ => valid[..43] + junk.Pick("==", "", "!"),
        };
        return candidate == valid || candidate.Length == 0 ? "sha256=" + valid : candidate;
    }

    /// <summary>The signed bytes with one byte flipped, inserted or removed.</summary>
    private static byte[] OneByteOff(Junk junk, byte[] body)
    {
        var at = junk.Next(body.Length + 1);
        return junk.Next(3) switch
        {
            0 when at < body.Length => [.. body[..at], (byte)(body[at] ^ (1 << junk.Next(8))), .. body[(at + 1)..]],
            1 when at < body.Length => [.. body[..at], .. body[(at + 1)..]],
            _ => [.. body[..at], (byte)junk.Next(256), .. body[at..]],
        };
    }
}
