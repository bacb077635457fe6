using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace LinkFunctions.Login;

/// <summary>PKCE (RFC 7636), S256 only, the one method LINE accepts.</summary>
public static class Pkce
{
    /// <summary>32 random bytes in base64url: 43 characters of the unreserved set, the shortest verifier allowed.</summary>
    public static string CreateVerifier() => Linking.Nonce.Create();

    public static string Challenge(string verifier) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
}
