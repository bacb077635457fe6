using System.Security.Cryptography;
using System.Text;

namespace LinkFunctions.Login;

/// <summary>SHA-256 of a login secret (browser binding, nonce), and the constant-time check against a stored one.</summary>
public static class LoginHash
{
    public static string Of(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    /// <summary>Constant time, so the comparison leaks nothing about the stored hash.</summary>
    public static bool Matches(string? presented, string storedHash) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Of(presented)), Encoding.ASCII.GetBytes(storedHash));
}
