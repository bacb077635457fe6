using LinkFunctions.Linking;

namespace LinkFunctions.Tests.Linking;

public class IdentifiersTests
{
    private const string LineUserId = "U4af4980629f4e5e0aa5e3c8f5b1b2c3d";

    [Theory]
    [InlineData("a")]
    [InlineData("alice")]
    [InlineData("user-42")]
    [InlineData("A.B_c:d@e|f-g")]
    [InlineData("auth0|5f7c8ec7c33c6c004bbafe82")]
    [InlineData("0123456789")]
    [InlineData("...")]
    [InlineData(".a")]
    [InlineData("a.")]
    [InlineData("a..b")]
    public void IsServiceUserId_ValidGrammar_ReturnsTrue(string value)
    {
        Assert.True(Identifiers.IsServiceUserId(value));
    }

    [Fact]
    public void IsServiceUserId_128Characters_ReturnsTrue()
    {
        Assert.True(Identifiers.IsServiceUserId(new string('a', 128)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("alice smith")]
    [InlineData("alice/bob")]
    [InlineData("alice\\bob")]
    [InlineData("alice?x")]
    [InlineData("alice#x")]
    [InlineData("alice%20")]
    [InlineData("alice+bob")]
    [InlineData("ユーザー")]
    [InlineData("café")]
    [InlineData("alice\tbob")]
    [InlineData("alice\u0000")]
    [InlineData(" alice")]
    [InlineData(".")]
    [InlineData("..")]
    public void IsServiceUserId_OutsideTheGrammar_ReturnsFalse(string? value)
    {
        Assert.False(Identifiers.IsServiceUserId(value));
    }

    [Fact]
    public void IsServiceUserId_129Characters_ReturnsFalse()
    {
        Assert.False(Identifiers.IsServiceUserId(new string('a', 129)));
    }

    [Theory]
    [InlineData("alice\n")]
    [InlineData("alice\r\n")]
    public void IsServiceUserId_TrailingNewline_ReturnsFalse(string value)
    {
        // The id becomes a document id, a URL segment and a log value; a line break must never pass.
        Assert.False(Identifiers.IsServiceUserId(value));
    }

    [Theory]
    [InlineData(LineUserId)]
    [InlineData("U00000000000000000000000000000000")]
    [InlineData("Uffffffffffffffffffffffffffffffff")]
    public void IsLineUserId_RealFormat_ReturnsTrue(string value)
    {
        Assert.True(Identifiers.IsLineUserId(value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("U123")]
    [InlineData("xxxxxxxxxx")]
    [InlineData("U4AF4980629F4E5E0AA5E3C8F5B1B2C3D")]
    [InlineData("U4af4980629f4e5e0aa5e3c8f5b1b2C3d")]
    [InlineData("u4af4980629f4e5e0aa5e3c8f5b1b2c3d")]
    [InlineData("C4af4980629f4e5e0aa5e3c8f5b1b2c3d")]
    [InlineData("U4af4980629f4e5e0aa5e3c8f5b1b2c3")]
    [InlineData("U4af4980629f4e5e0aa5e3c8f5b1b2c3d0")]
    [InlineData("U4af4980629f4e5e0aa5e3c8f5b1b2c3g")]
    [InlineData(" U4af4980629f4e5e0aa5e3c8f5b1b2c3d")]
    [InlineData("U4af4980629f4e5e0aa5e3c8f5b1b2c3d ")]
    public void IsLineUserId_NotRealFormat_ReturnsFalse(string? value)
    {
        Assert.False(Identifiers.IsLineUserId(value));
    }

    [Fact]
    public void IsLineUserId_TrailingNewline_ReturnsFalse()
    {
        Assert.False(Identifiers.IsLineUserId(LineUserId + "\n"));
    }

    [Theory]
    [InlineData("NMZTNuVrPTqlr2IF8Bnymkb7rXfYv5EY")]
    [InlineData("abcdefghijklmnop")]
    [InlineData("A-B_C-D_E-F_G-H_")]
    public void IsLinkToken_ValidGrammar_ReturnsTrue(string value)
    {
        Assert.True(Identifiers.IsLinkToken(value));
    }

    [Fact]
    public void IsLinkToken_128Characters_ReturnsTrue()
    {
        Assert.True(Identifiers.IsLinkToken(new string('x', 128)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abcdefghijklmno")]
    [InlineData("abcdefghijklmno=")]
    [InlineData("abcdefghijklmno+")]
    [InlineData("abcdefghijklmno/")]
    [InlineData("abcdefghij klmno")]
    [InlineData("abcdefghijklmno.")]
    [InlineData("abcdefghijklmnoé")]
    public void IsLinkToken_OutsideTheGrammar_ReturnsFalse(string? value)
    {
        Assert.False(Identifiers.IsLinkToken(value));
    }

    [Fact]
    public void IsLinkToken_129Characters_ReturnsFalse()
    {
        Assert.False(Identifiers.IsLinkToken(new string('x', 129)));
    }

    [Fact]
    public void IsLinkToken_TrailingNewline_ReturnsFalse()
    {
        Assert.False(Identifiers.IsLinkToken("NMZTNuVrPTqlr2IF8Bnymkb7rXfYv5EY\n"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("xxxxxxxxxxxxxxx")]
    [InlineData("0123456789abcdefghijABCDEFGHIJ-_0123456789a")]    // 43, valid
    public void IsNonce_Grammar_AcceptsOnly43Base64UrlCharacters(string? value)
    {
        Assert.Equal(value?.Length == 43, Identifiers.IsNonce(value));
    }

    [Theory]
    [InlineData("0123456789abcdefghijABCDEFGHIJ-_0123456789")]     // 42
    [InlineData("0123456789abcdefghijABCDEFGHIJ-_0123456789ab")]   // 44
    [InlineData("0123456789abcdefghijABCDEFGHIJ+/0123456789a")]    // standard base64
    [InlineData("0123456789abcdefghijABCDEFGHIJ-_012345678==")]    // padded
    [InlineData("0123456789abcdefghijABCDEFGHIJ-_0123456789a\n")]  // trailing newline
    public void IsNonce_NotOurFormat_ReturnsFalse(string value)
    {
        Assert.False(Identifiers.IsNonce(value));
    }
}
