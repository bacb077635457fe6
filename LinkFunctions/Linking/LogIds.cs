using System.Security.Cryptography;
using System.Text;

namespace LinkFunctions.Linking;

/// <summary>Logs carry hashed user IDs: enough to correlate lines, not enough to identify a person.</summary>
public static class LogIds
{
    public static string Hash(string? id) =>
        id is null ? "none" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)).AsSpan(0, 6));
}
