using System.Globalization;
using System.Text.RegularExpressions;

namespace LinkFunctions.Tests.Infra;

/// <summary>
/// Reads declarations from Bicep source text, so the drift tests need no Bicep CLI. It knows just enough of the
/// grammar to be robust: comments, strings with escapes and nested interpolation, multi-line strings, and
/// bracket nesting. Entries of an object or array literal are split at its top level on newlines and commas.
/// </summary>
internal sealed partial class BicepSource
{
    private readonly string text;

    // Same length as text: comments blanked, string contents replaced by '_', so brackets and keywords
    // found in it are real syntax.
    private readonly string masked;

    private BicepSource(string text)
    {
        this.text = text;
        masked = Mask(text);
    }

    public static BicepSource Parse(string text) => new(text);

    public static BicepSource Load(string relativePath) => new(RepoRoot.ReadAllText(relativePath));

    /// <summary>All <c>.bicep</c> files under <c>infra/</c>, as repository-relative paths.</summary>
    public static IReadOnlyList<string> InfraFiles() =>
        Directory.EnumerateFiles(RepoRoot.File("infra"), "*.bicep", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(RepoRoot.Path, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The source text with comments removed (string contents kept).</summary>
    public string WithoutComments()
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (masked[i] == ' ' && !char.IsWhiteSpace(text[i]))
            {
                chars[i] = ' ';
            }
        }

        return new string(chars);
    }

    /// <summary>The object or array literal assigned to <c>var <paramref name="name"/></c>, or null.</summary>
    public BicepLiteral? Variable(string name)
    {
        var match = Regex.Match(masked, $@"(?m)^[ \t]*var[ \t]+{Regex.Escape(name)}\b[^=\n]*=\s*([\[{{])");
        return match.Success ? LiteralAt(match.Groups[1].Index) : null;
    }

    /// <summary>The raw default value of <c>param <paramref name="name"/></c>, or null when it has none.</summary>
    public string? ParameterDefault(string name)
    {
        var match = Regex.Match(masked, $@"(?m)^[ \t]*param[ \t]+{Regex.Escape(name)}[ \t]+[^=\n]+=[ \t]*(\S.*)$");
        return match.Success ? Trimmed(match.Groups[1].Index, match.Groups[1].Index + match.Groups[1].Length) : null;
    }

    /// <summary>Names of all declared parameters.</summary>
    public IReadOnlyList<string> ParameterNames() =>
        ParameterDeclaration().Matches(masked).Select(m => m.Groups[1].Value).ToList();

    /// <summary>Each resource declaration's type and the text from its keyword to the end of its body.</summary>
    public IReadOnlyList<(string Type, string Declaration)> Resources()
    {
        var found = new List<(string, string)>();
        foreach (Match match in ResourceDeclaration().Matches(masked))
        {
            var typeStart = match.Groups[1].Index;
            var typeEnd = masked.IndexOf('\'', typeStart + 1);
            var open = masked.IndexOfAny(['{', '['], typeEnd);
            var close = Close(open);
            found.Add((text[(typeStart + 1)..typeEnd], text[match.Index..(close + 1)]));
        }

        return found;
    }

    /// <summary>The literal that starts at <paramref name="open"/> (a <c>{</c> or <c>[</c>).</summary>
    public BicepLiteral LiteralAt(int open)
    {
        if (masked[open] is not ('{' or '['))
        {
            throw new ArgumentException($"No literal starts at {open}.", nameof(open));
        }

        var close = Close(open);
        var entries = new List<(int Start, int End)>();
        var depth = 0;
        var start = open + 1;
        for (var i = open + 1; i < close; i++)
        {
            var c = masked[i];
            if (c is '{' or '[' or '(')
            {
                depth++;
            }
            else if (c is '}' or ']' or ')')
            {
                depth--;
            }
            else if (depth == 0 && c is '\n' or ',')
            {
                AddEntry(entries, start, i);
                start = i + 1;
            }
        }

        AddEntry(entries, start, close);
        return new BicepLiteral(this, masked[open] == '{', entries);
    }

    /// <summary>Parses a standalone literal such as a property's raw value.</summary>
    public static BicepLiteral ParseLiteral(string raw)
    {
        var source = new BicepSource(raw);
        var open = source.masked.IndexOfAny(['{', '[']);
        if (open < 0 || !string.IsNullOrWhiteSpace(source.masked[..open]))
        {
            throw new FormatException($"Not an object or array literal: {raw}");
        }

        return source.LiteralAt(open);
    }

    /// <summary>A scalar: a single-quoted string, null, an integer or a boolean; anything else is an expression.</summary>
    public static object? Scalar(string raw)
    {
        raw = raw.Trim();
        if (raw == "null")
        {
            return null;
        }

        if (raw is "true" or "false")
        {
            return raw == "true";
        }

        if (int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        if (raw.Length >= 2 && raw[0] == '\'' && raw[^1] == '\'' && !raw.Contains("${", StringComparison.Ordinal))
        {
            return raw[1..^1].Replace("\\'", "'", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
        }

        throw new FormatException($"Not a literal scalar: {raw}");
    }

    internal (string Key, string Value)? Property(int start, int end)
    {
        var match = PropertyKey().Match(masked, start, end - start);
        if (!match.Success)
        {
            return null;
        }

        var keyGroup = match.Groups[1];
        var key = text.Substring(keyGroup.Index, keyGroup.Length).Trim('\'');
        return (key, Trimmed(match.Index + match.Length, end));
    }

    internal string Trimmed(int start, int end)
    {
        while (start < end && char.IsWhiteSpace(masked[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(masked[end - 1]))
        {
            end--;
        }

        return text[start..end];
    }

    private void AddEntry(List<(int Start, int End)> entries, int start, int end)
    {
        if (!string.IsNullOrWhiteSpace(masked[start..end]))
        {
            entries.Add((start, end));
        }
    }

    private int Close(int open)
    {
        var depth = 0;
        for (var i = open; i < masked.Length; i++)
        {
            if (masked[i] is '{' or '[' or '(')
            {
                depth++;
            }
            else if (masked[i] is '}' or ']' or ')' && --depth == 0)
            {
                return i;
            }
        }

        throw new FormatException($"Unbalanced brackets from offset {open}.");
    }

    private static string Mask(string source)
    {
        var chars = source.ToCharArray();
        var i = 0;
        while (i < source.Length)
        {
            if (At(source, i, "//"))
            {
                while (i < source.Length && source[i] != '\n')
                {
                    chars[i++] = ' ';
                }
            }
            else if (At(source, i, "/*"))
            {
                var end = source.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? source.Length : end + 2;
                Fill(chars, source, i, end, ' ', keepNewlines: true);
                i = end;
            }
            else if (At(source, i, "'''"))
            {
                var end = source.IndexOf("'''", i + 3, StringComparison.Ordinal);
                end = end < 0 ? source.Length : end;
                // Newlines too: a multi-line string is one value, never a line of its own.
                Fill(chars, source, i + 3, end, '_', keepNewlines: false);
                i = Math.Min(source.Length, end + 3);
            }
            else if (source[i] == '\'')
            {
                var after = SkipString(source, i);
                Fill(chars, source, i + 1, after - 1, '_', keepNewlines: false);
                i = after;
            }
            else
            {
                i++;
            }
        }

        return new string(chars);
    }

    // Returns the index just past the string that opens at start, stepping over escapes and ${...} holes.
    private static int SkipString(string source, int start)
    {
        var i = start + 1;
        while (i < source.Length)
        {
            var c = source[i];
            if (c == '\\')
            {
                i += 2;
            }
            else if (c == '\'')
            {
                return i + 1;
            }
            else if (c == '$' && i + 1 < source.Length && source[i + 1] == '{')
            {
                i += 2;
                for (var depth = 1; i < source.Length && depth > 0;)
                {
                    if (source[i] == '\'')
                    {
                        i = SkipString(source, i);
                        continue;
                    }

                    depth += source[i] switch { '{' => 1, '}' => -1, _ => 0 };
                    i++;
                }
            }
            else
            {
                i++;
            }
        }

        return source.Length + 1;
    }

    private static bool At(string source, int index, string token) =>
        string.CompareOrdinal(source, index, token, 0, token.Length) == 0;

    private static void Fill(char[] chars, string source, int start, int end, char fill, bool keepNewlines)
    {
        for (var k = start; k < Math.Min(end, chars.Length); k++)
        {
            if (!keepNewlines || source[k] != '\n')
            {
                chars[k] = fill;
            }
        }
    }

    [GeneratedRegex(@"(?m)^[ \t]*param[ \t]+([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex ParameterDeclaration();

    [GeneratedRegex(@"(?m)^[ \t]*resource[ \t]+[A-Za-z_][A-Za-z0-9_]*[ \t]+(')")]
    private static partial Regex ResourceDeclaration();

    [GeneratedRegex(@"\G\s*('_*'|[A-Za-z_][A-Za-z0-9_]*)\s*:")]
    private static partial Regex PropertyKey();
}

/// <summary>An object or array literal: its top-level entries, as raw source text.</summary>
internal sealed class BicepLiteral(BicepSource source, bool isObject, IReadOnlyList<(int Start, int End)> entries)
{
    /// <summary>An object's properties in source order, each with its raw value text (comments removed at the ends).</summary>
    public IReadOnlyList<(string Key, string Value)> Properties()
    {
        if (!isObject)
        {
            throw new InvalidOperationException("An array has elements, not properties.");
        }

        return entries
            .Select(e => source.Property(e.Start, e.End) ?? throw new FormatException($"Not a property: {source.Trimmed(e.Start, e.End)}"))
            .ToList();
    }

    /// <summary>An array's elements as raw source text.</summary>
    public IReadOnlyList<string> Elements()
    {
        if (isObject)
        {
            throw new InvalidOperationException("An object has properties, not elements.");
        }

        return entries.Select(e => source.Trimmed(e.Start, e.End)).ToList();
    }

    public string Value(string key) =>
        Properties().Where(p => p.Key == key).Select(p => p.Value).SingleOrDefault()
        ?? throw new KeyNotFoundException($"No property '{key}'.");
}
