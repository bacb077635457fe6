namespace LinkFunctions.Benchmarks;

/// <summary>
/// The webhook bodies shared with the Node baseline, in benchmarks/fixtures/, found by walking up to the directory
/// that holds LinkFunctions.slnx (BenchmarkDotNet runs each benchmark from a generated project under bin/).
/// </summary>
internal static class Fixtures
{
    /// <summary>A LINE channel secret is 32 hex characters; the Node baseline uses the same one.</summary>
    public const string ChannelSecret = "3f4a1c9e8b7d6a5f0e2d4c6b8a9f1e3d";

    public static byte[] WebhookBody(int events) =>
        File.ReadAllBytes(Path.Combine(RepoRoot(), "benchmarks", "fixtures", $"webhook-{events}.json"));

    private static string RepoRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "LinkFunctions.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("LinkFunctions.slnx not found above " + AppContext.BaseDirectory);
    }
}
