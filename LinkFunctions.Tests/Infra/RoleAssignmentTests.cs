namespace LinkFunctions.Tests.Infra;

/// <summary>
/// Role assignment names are guid() seeds. A recreated identity keeps its name and resource ID but gets a new
/// principal, so a seed without the principal ID names the stale assignment, whose principal ARM and Cosmos DB
/// refuse to change. Every name is therefore seeded with the very principal the assignment grants.
/// </summary>
public sealed class RoleAssignmentTests
{
    private static readonly string[] AssignmentTypes =
    [
        "Microsoft.Authorization/roleAssignments@",
        "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@",
    ];

    [Fact]
    public void RoleAssignments_Name_IsSeededWithTheAssignedPrincipalId()
    {
        var assignments = BicepSource.InfraFiles()
            .SelectMany(file => BicepSource.Load(file).Resources()
                .Where(resource => AssignmentTypes.Any(type => resource.Type.StartsWith(type, StringComparison.Ordinal)))
                .Select(resource => (File: file, resource.Type, Body: Body(resource.Declaration))))
            .ToList();
        Assert.Contains(assignments, a => a.Type.StartsWith(AssignmentTypes[0], StringComparison.Ordinal));
        Assert.Contains(assignments, a => a.Type.StartsWith(AssignmentTypes[1], StringComparison.Ordinal));

        var problems = new List<string>();
        foreach (var (file, _, body) in assignments)
        {
            var name = body.Value("name");
            var principal = BicepSource.ParseLiteral(body.Value("properties")).Value("principalId");
            if (!GuidSeed(name).Contains(principal, StringComparer.Ordinal))
            {
                problems.Add($"{file}: name {name} is not seeded with its principalId {principal}");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    // The body after `= [if (...)]`; the conditions in infra/ hold no braces.
    private static BicepLiteral Body(string declaration) => BicepSource.ParseLiteral(declaration[declaration.IndexOf('{', StringComparison.Ordinal)..]);

    private static IReadOnlyList<string> GuidSeed(string name)
    {
        Assert.StartsWith("guid(", name, StringComparison.Ordinal);
        Assert.EndsWith(")", name, StringComparison.Ordinal);
        // The arguments split at top-level commas, as an array literal's elements are.
        return BicepSource.ParseLiteral($"[{name["guid(".Length..^1]}]").Elements();
    }
}
