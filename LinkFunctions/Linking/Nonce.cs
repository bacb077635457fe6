using System.Buffers.Text;
using System.Security.Cryptography;

namespace LinkFunctions.Linking;

/// <summary>
/// LINE's account-link nonce: single use and hard to predict. 256 bits from the OS CSPRNG (LINE asks for at least
/// 128), base64url so that it needs no escaping in the redirect URL. Never derived from a user ID.
/// </summary>
public static class Nonce
{
    public const int Bytes = 32;

    public static string Create()
    {
        Span<byte> random = stackalloc byte[Bytes];
        RandomNumberGenerator.Fill(random);
        return Base64Url.EncodeToString(random);
    }
}
