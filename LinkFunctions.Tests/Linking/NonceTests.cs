using System.Buffers.Text;
using LinkFunctions.Linking;

namespace LinkFunctions.Tests.Linking;

public class NonceTests
{
    [Fact]
    public void Create_Always_Returns43Base64UrlCharacters()
    {
        var nonce = Nonce.Create();

        Assert.Equal(43, nonce.Length);
        Assert.All(nonce, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"unexpected '{c}'"));
    }

    [Fact]
    public void Create_Always_DecodesTo32Bytes()
    {
        var nonce = Nonce.Create();

        var bytes = Base64Url.DecodeFromChars(nonce);

        Assert.Equal(Nonce.Bytes, bytes.Length);
        Assert.Equal(32, bytes.Length);
    }

    [Fact]
    public void Create_ThousandTimes_ReturnsDistinctValues()
    {
        var nonces = Enumerable.Range(0, 1000).Select(_ => Nonce.Create()).ToList();

        Assert.Equal(1000, nonces.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Create_ThousandTimes_EveryValueMatchesTheNonceGrammar()
    {
        var nonces = Enumerable.Range(0, 1000).Select(_ => Nonce.Create());

        Assert.All(nonces, n => Assert.True(Identifiers.IsNonce(n), n));
    }

    [Fact]
    public void Create_ThousandTimes_IsNotConstantPerPosition()
    {
        // A weak check that the bytes are random: every one of the first 42 positions (full 6 bits each) varies.
        var nonces = Enumerable.Range(0, 1000).Select(_ => Nonce.Create()).ToList();

        for (var i = 0; i < 42; i++)
        {
            Assert.True(nonces.Select(n => n[i]).Distinct().Count() > 16, $"position {i} barely varies");
        }
    }
}
