using System.Security.Cryptography;
using System.Text;

namespace LinkFunctions.Linking;

/// <summary>
/// Logs carry keyed hashes of user IDs: enough to correlate lines, not enough to identify a person. A plain hash of a
/// short service ID can be reversed by trying every value; an HMAC under a per-deployment key cannot, without the key.
/// </summary>
/// <remarks>
/// The key is process-wide state rather than an injected service because <see cref="Hash(string?)"/> is called from
/// static log helpers across the code base, and one deployment has exactly one key. Until
/// <see cref="Telemetry.LogIdKeyInstaller"/> installs the deployment's key at start-up, a random key made for this
/// process is used, so hashes still hide the ID and correlate within the instance.
/// </remarks>
public static class LogIds
{
    private static byte[] key = RandomNumberGenerator.GetBytes(32);

    public static string Hash(string? id) => Hash(id, Volatile.Read(ref key));

    /// <summary>48 bits: short enough to read in a log line, long enough that two users rarely share one.</summary>
    public static string Hash(string? id, byte[] hashKey) =>
        id is null ? "none" : Convert.ToHexStringLower(HMACSHA256.HashData(hashKey, Encoding.UTF8.GetBytes(id)).AsSpan(0, 6));

    internal static void UseKey(byte[] hashKey) => Volatile.Write(ref key, hashKey);
}
