using System.Text;

namespace LinkFunctions.Tests.Proof;

/// <summary>
/// The seeded source of every hostile value: one instance per case, seeded from the run's seed and the case index, so a
/// failing case is rebuilt exactly from the two numbers the suite prints.
/// </summary>
public sealed class Junk(int seed)
{
    private const string Hex = "0123456789abcdef";
    private const string TokenChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    private const string ServiceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:@|-";

    /// <summary>Characters that parsers, URL decoders and log sinks treat specially, and text outside ASCII.</summary>
    private static readonly string[] Nasty =
    [
        " ", "\t", "\r\n", "\0", "/", "\\", "%", "%00", "%2F", "+", "&", "=", "?", "#", "\"", "'", "<", ">", "{", "}", "../",
        "é", "Ｕ", "İ", "ß", "\u200B", "\uFEFF", "\u202E", "😀", "日本語", "\u0085", "\u2028", "$", "*", ",", ";", "~", "`",
    ];

    private readonly Random random = new(seed);

    public int Next(int max) => random.Next(max);

    public int Next(int min, int max) => random.Next(min, max);

    public bool Chance(double probability) => random.NextDouble() < probability;

    public T Pick<T>(params T[] items) => items[random.Next(items.Length)];

    public string Chars(string alphabet, int length) =>
        string.Create(length, (alphabet, random), static (span, state) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = state.alphabet[state.random.Next(state.alphabet.Length)];
            }
        });

    public string LineUserId() => "U" + Chars(Hex, 32);

    public string ServiceUserId() => "svc-" + Chars(ServiceChars, Next(1, 60));

    public string LinkToken() => Chars(TokenChars, Next(16, 129));

    /// <summary>The shape of our nonces and login states: 43 base64url characters.</summary>
    public string Nonce() => Chars(TokenChars, 43);

    public byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Printable junk with the characters that break naive parsers mixed in.</summary>
    public string Text(int maxLength = 40)
    {
        var text = new StringBuilder();
        var length = Next(1, maxLength + 1);
        while (text.Length < length)
        {
            text.Append(Chance(0.3) ? Pick(Nasty) : Chars(TokenChars, Next(1, 6)));
        }

        return text.ToString();
    }

    /// <summary>A valid value with one thing wrong with it, or junk; never a value the grammar accepts.</summary>
    public string Spoil(string valid, int maxLength) => Next(9) switch
    {
        0 => "",
        1 => Replace(valid, Pick("!", "é", " ", "/", "\u3000")),
        2 => valid + Chars(TokenChars, maxLength),
        3 => valid.Insert(Next(valid.Length), Pick(Nasty)),
        4 => Pick(" ", "\n", "%20", "\0") + valid,
        5 => valid + Pick(" ", "\r\n", "%00", "\u200B", "/"),
        6 => new string('A', Next(maxLength + 1, 20_000)),
        7 => Uri.EscapeDataString(valid).Replace(valid[..1], "%" + ((int)valid[0]).ToString("X2"), StringComparison.Ordinal),
        _ => Pick(Nasty) + Text(),
    };

    private string Replace(string valid, string with)
    {
        var at = Next(valid.Length);
        return valid.Remove(at, 1).Insert(at, with);
    }

    public string BadLineUserId() => Next(5) switch
    {
        0 => "U" + Chars("0123456789ABCDEF", 32),
        1 => "u" + Chars(Hex, 32),
        2 => "Ｕ" + Chars(Hex, 32),
        _ => Spoil(LineUserId(), 33),
    };

    public string BadServiceUserId() => Next(6) switch
    {
        0 => Pick(".", ".."),
        1 => Chars(ServiceChars, 129),
        _ => Spoil(ServiceUserId(), 128),
    };

    public string BadLinkToken() => Next(5) switch
    {
        0 => Chars(TokenChars, Next(1, 16)),
        1 => Chars(TokenChars, 20) + Pick("+", "/", "=", ".", "~", "é"),
        _ => Spoil(LinkToken(), 128),
    };

    public string BadNonce() => Next(3) switch
    {
        0 => Chars(TokenChars, Pick(42, 44)),
        1 => Convert.ToBase64String(Bytes(32)),
        _ => Spoil(Nonce(), 43),
    };
}
