using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Login;

/// <summary>
/// Envelope encryption of the LINE Login tokens we keep for deauthorize. Each token gets its own random data key
/// (AES-256-GCM); the data key is wrapped with the 256-bit token key, read as a Key Vault secret (or, locally,
/// <c>LineLogin__TokenKey</c>). Wrapping under a Key Vault <em>key</em> would be stronger, but the Keys SDK is not
/// available to this build; the key id lets a rotated key be told apart. The document id is the associated data,
/// so a ciphertext copied into another user's grant does not decrypt.
/// </summary>
public sealed class LoginTokenProtector(LineLoginSecretReader reader, IOptions<LineLoginOptions> options)
{
    private const int KeyBytes = 32;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public static bool IsValidKey(string? base64)
    {
        Span<byte> key = stackalloc byte[KeyBytes + 1];
        return base64 is not null && Convert.TryFromBase64String(base64, key, out var written) && written == KeyBytes;
    }

    public async Task<WrappedToken> WrapAsync(string token, string context, CancellationToken cancellationToken)
    {
        var (keyId, key) = await KeyAsync(cancellationToken);
        var dataKey = RandomNumberGenerator.GetBytes(KeyBytes);
        var aad = Encoding.UTF8.GetBytes(context);
        return new WrappedToken(
            keyId,
            Convert.ToBase64String(Seal(key, dataKey, aad)),
            Convert.ToBase64String(Seal(dataKey, Encoding.UTF8.GetBytes(token), aad)));
    }

    /// <summary>Throws <see cref="CryptographicException"/> when the token was altered, moved or wrapped under another key.</summary>
    public async Task<string> UnwrapAsync(WrappedToken wrapped, string context, CancellationToken cancellationToken)
    {
        var (keyId, key) = await KeyAsync(cancellationToken);
        if (!string.Equals(keyId, wrapped.KeyId, StringComparison.Ordinal))
        {
            throw new CryptographicException("The token was wrapped under another token key.");
        }

        var aad = Encoding.UTF8.GetBytes(context);
        var dataKey = Open(key, Convert.FromBase64String(wrapped.WrappedKey), aad);
        return Encoding.UTF8.GetString(Open(dataKey, Convert.FromBase64String(wrapped.Ciphertext), aad));
    }

    private async Task<(string KeyId, byte[] Key)> KeyAsync(CancellationToken cancellationToken)
    {
        var base64 = await reader.ReadAsync(options.Value.TokenKeySecretName, options.Value.TokenKey, "LineLogin__TokenKey", cancellationToken);
        if (!IsValidKey(base64))
        {
            throw new CryptographicException("The token key is not 32 bytes in base64.");
        }

        var key = Convert.FromBase64String(base64);
        return (Convert.ToHexStringLower(SHA256.HashData(key).AsSpan(0, 8)), key);
    }

    private static byte[] Seal(byte[] key, byte[] plaintext, byte[] aad)
    {
        var output = new byte[NonceBytes + plaintext.Length + TagBytes];
        var nonce = output.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceBytes, plaintext.Length), output.AsSpan(NonceBytes + plaintext.Length), aad);
        return output;
    }

    private static byte[] Open(byte[] key, byte[] sealedBytes, byte[] aad)
    {
        if (sealedBytes.Length < NonceBytes + TagBytes)
        {
            throw new CryptographicException("The wrapped token is truncated.");
        }

        var plaintext = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(key, TagBytes);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, plaintext.Length), sealedBytes.AsSpan(^TagBytes), plaintext, aad);
        return plaintext;
    }
}
