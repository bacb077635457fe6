using System.Security.Cryptography;
using LinkFunctions.Hosting;
using LinkFunctions.Login;
using LinkFunctions.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Tests.Login;

public class LoginTokenProtectorTests
{
    private static readonly string Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static LoginTokenProtector Local(string? key = null) => new(
        Reader(new ServiceCollection().BuildServiceProvider(), vaultUri: null),
        Options.Create(new LineLoginOptions { TokenKey = key ?? Key }));

    private static LineLoginSecretReader Reader(IServiceProvider services, Uri? vaultUri) => new(new ChannelSecretCacheFactory(
        Options.Create(new KeyVaultOptions { VaultUri = vaultUri }), services, TimeProvider.System, NullLoggerFactory.Instance));

    [Fact]
    public async Task WrapAsync_ThenUnwrap_RoundTripsWithoutThePlaintextStored()
    {
        var protector = Local();

        var wrapped = await protector.WrapAsync("refresh-token-value", "grant:1:U1", default);

        Assert.DoesNotContain("refresh", wrapped.Ciphertext + wrapped.WrappedKey, StringComparison.Ordinal);
        Assert.Equal("refresh-token-value", await protector.UnwrapAsync(wrapped, "grant:1:U1", default));
    }

    [Fact]
    public async Task WrapAsync_SameTokenTwice_DifferentDataKeysAndCiphertexts()
    {
        var protector = Local();

        var first = await protector.WrapAsync("t", "ctx", default);
        var second = await protector.WrapAsync("t", "ctx", default);

        Assert.NotEqual(first.WrappedKey, second.WrappedKey);
        Assert.NotEqual(first.Ciphertext, second.Ciphertext);
    }

    [Fact]
    public async Task UnwrapAsync_MovedToAnotherDocument_Throws()
    {
        var protector = Local();
        var wrapped = await protector.WrapAsync("t", "grant:1:Ua", default);

        await Assert.ThrowsAnyAsync<CryptographicException>(() => protector.UnwrapAsync(wrapped, "grant:1:Ub", default));
    }

    [Fact]
    public async Task UnwrapAsync_CiphertextAltered_Throws()
    {
        var protector = Local();
        var wrapped = await protector.WrapAsync("token", "ctx", default);
        var bytes = Convert.FromBase64String(wrapped.Ciphertext);
        bytes[^1] ^= 1;

        await Assert.ThrowsAnyAsync<CryptographicException>(() => protector.UnwrapAsync(wrapped with { Ciphertext = Convert.ToBase64String(bytes) }, "ctx", default));
    }

    [Fact]
    public async Task UnwrapAsync_OtherTokenKey_Throws()
    {
        var wrapped = await Local().WrapAsync("token", "ctx", default);

        await Assert.ThrowsAnyAsync<CryptographicException>(() => Local(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))).UnwrapAsync(wrapped, "ctx", default));
    }

    [Fact]
    public async Task WrapAsync_KeyVaultConfigured_ReadsTheNamedSecretThroughSecretClient()
    {
        var requested = new List<string>();
        var reader = LineLoginSecretReaderTests.VaultReader(Key, requested);
        var protector = new LoginTokenProtector(reader, Options.Create(new LineLoginOptions { TokenKeySecretName = "token-key", TokenKey = "ignored" }));

        var wrapped = await protector.WrapAsync("token", "ctx", default);

        Assert.Equal("token", await Local().UnwrapAsync(wrapped, "ctx", default));
        Assert.Equal(new[] { "token-key" }, requested.Distinct());
        Assert.Single(requested);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("not base64", false)]
    [InlineData("AAECAwQFBgcICQoLDA0ODw==", false)]
    [InlineData("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", true)]
    public void IsValidKey_Value_Only32BytesInBase64(string? value, bool valid)
    {
        Assert.Equal(valid, LoginTokenProtector.IsValidKey(value));
    }
}
