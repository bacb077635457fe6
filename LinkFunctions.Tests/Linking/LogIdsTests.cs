using System.Security.Cryptography;
using System.Text;
using LinkFunctions.Linking;

namespace LinkFunctions.Tests.Linking;

public sealed class LogIdsTests
{
    private static readonly byte[] KeyA = Encoding.UTF8.GetBytes("first-deployment-key-0123456789abcdef");
    private static readonly byte[] KeyB = Encoding.UTF8.GetBytes("second-deployment-key-0123456789abcdef");

    [Fact]
    public void Hash_SameKeyAndId_Stable() =>
        Assert.Equal(LogIds.Hash("customer-7", KeyA), LogIds.Hash("customer-7", KeyA));

    [Fact]
    public void Hash_TwoKeys_Differ() =>
        Assert.NotEqual(LogIds.Hash("customer-7", KeyA), LogIds.Hash("customer-7", KeyB));

    [Theory]
    [InlineData("7")]
    [InlineData("customer-7")]
    [InlineData("U4af4980629d3a2c5a0a1a3d6f0a4c4b1")]
    public void Hash_AnyKey_NotTheUnkeyedSha256AnyoneCanRecompute(string id)
    {
        var unkeyed = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)).AsSpan(0, 6));

        Assert.NotEqual(unkeyed, LogIds.Hash(id, KeyA));
        Assert.NotEqual(unkeyed, LogIds.Hash(id));
    }

    [Fact]
    public void Hash_Id_TwelveHexCharactersNotTheId()
    {
        var hash = LogIds.Hash("customer-7", KeyA);

        Assert.Matches("^[0-9a-f]{12}$", hash);
        Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(KeyA, Encoding.UTF8.GetBytes("customer-7")).AsSpan(0, 6)), hash);
    }

    [Fact]
    public void Hash_Null_None() => Assert.Equal("none", LogIds.Hash(null, KeyA));
}
