using System.Buffers.Text;
using System.Security.Cryptography;

namespace LinkFunctions.Linking;

/// <summary>Fills the buffer with random bytes; the nonce's only source of unpredictability.</summary>
public delegate void RandomBytes(Span<byte> destination);

/// <summary>
/// LINE's account-link nonce: single use and hard to predict. 256 bits from the OS CSPRNG (LINE asks for at least
/// 128), base64url so that it needs no escaping in the redirect URL. Never derived from a user ID.
/// </summary>
public static class Nonce
{
    public const int Bytes = 32;

    /// <summary>
    /// The OS CSPRNG. A named field rather than an inline call, so that a test can pin it: no statistical test
    /// tells <see cref="System.Random"/> apart from a CSPRNG, but a test can check which method this is.
    /// </summary>
    public static readonly RandomBytes OsCsprng = RandomNumberGenerator.Fill;

    /// <param name="source">For tests only; the nonce is exactly these bytes, with nothing mixed in.</param>
    public static string Create(RandomBytes? source = null)
    {
        Span<byte> random = stackalloc byte[Bytes];
        (source ?? OsCsprng)(random);
        return Base64Url.EncodeToString(random);
    }
}
