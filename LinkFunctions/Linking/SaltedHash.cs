using System.Security.Cryptography;
using LinkFunctions.Storage;

namespace LinkFunctions.Linking;

/// <summary>
/// How the audit stores a counterpart ID: SHA-256 over a fresh random salt and the ID. The salt is kept beside it,
/// so a known ID can still be checked against an entry, but entries cannot be joined or looked up by ID in bulk.
/// </summary>
public sealed record SaltedHash(string Hash, string Salt)
{
    public static SaltedHash Of(string id)
    {
        var salt = RandomNumberGenerator.GetHexString(16, lowercase: true);
        return new SaltedHash(ProviderKey.Sha256Hex(salt + id), salt);
    }
}
