namespace LinkFunctions.Tests.Infra;

/// <summary>The repository checkout the tests run from, found by walking up to <c>LinkFunctions.slnx</c>.</summary>
internal static class RepoRoot
{
    private const string Marker = "LinkFunctions.slnx";

    private static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

    public static string File(string relativePath) =>
        System.IO.Path.Combine(Path, relativePath.Replace('/', System.IO.Path.DirectorySeparatorChar));

    public static string ReadAllText(string relativePath) => System.IO.File.ReadAllText(File(relativePath));

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, Marker)))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No {Marker} above {AppContext.BaseDirectory}.");
    }
}
