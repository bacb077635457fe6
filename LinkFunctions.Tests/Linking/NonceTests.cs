using System.Buffers.Text;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
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

    [Fact]
    public void OsCsprng_IsRandomNumberGeneratorFill()
    {
        // System.Random passes any statistical test here, so the source itself is pinned: the OS CSPRNG's
        // static Fill(Span<byte>), not a wrapper, an instance method or anything else.
        var fill = typeof(RandomNumberGenerator).GetMethod(nameof(RandomNumberGenerator.Fill), [typeof(Span<byte>)]);

        Assert.Equal(fill, Nonce.OsCsprng.Method);
        Assert.Null(Nonce.OsCsprng.Target);
    }

    [Fact]
    public void Create_WithASource_IsExactlyThatSourcesBytesInBase64Url()
    {
        var bytes = Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 3)).ToArray();
        var calls = 0;

        var nonce = Nonce.Create(destination =>
        {
            calls++;
            Assert.Equal(Nonce.Bytes, destination.Length);
            bytes.CopyTo(destination);
        });

        Assert.Equal(1, calls);
        Assert.Equal(Base64Url.EncodeToString(bytes), nonce);
    }

    [Fact]
    public void Create_ThousandTimes_EveryBitIsSetAboutHalfTheTime()
    {
        // A sanity check of the default path (a stuck or constant source fails it); the structural tests above
        // are what tell a CSPRNG from System.Random.
        var counts = new int[Nonce.Bytes * 8];
        for (var n = 0; n < 1000; n++)
        {
            var bytes = Base64Url.DecodeFromChars(Nonce.Create());
            for (var bit = 0; bit < counts.Length; bit++)
            {
                counts[bit] += (bytes[bit / 8] >> (bit % 8)) & 1;
            }
        }

        // Binomial(1000, 0.5): sd ≈ 15.8, so 380..620 is beyond 7 sd for each of the 256 bits.
        Assert.All(counts, c => Assert.InRange(c, 380, 620));
    }

    [Fact]
    public void AppAssembly_NeverReferencesSystemRandom()
    {
        // OsCsprng_IsRandomNumberGeneratorFill pins the field, not what Create calls: a Create that used
        // Random.Shared would pass every statistical test. The app has no use for System.Random at all, so its
        // metadata must not name the type anywhere (Random.Shared, new Random(), a Random parameter).
        using var pe = new PEReader(File.OpenRead(typeof(Nonce).Assembly.Location));
        var metadata = pe.GetMetadataReader();

        var references = metadata.TypeReferences
            .Select(handle => metadata.GetTypeReference(handle))
            .Select(type => $"{metadata.GetString(type.Namespace)}.{metadata.GetString(type.Name)}");

        Assert.DoesNotContain("System.Random", references);
    }
}
