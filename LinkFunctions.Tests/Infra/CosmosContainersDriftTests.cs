using LinkFunctions.Hosting;
using LinkFunctions.Storage;

namespace LinkFunctions.Tests.Infra;

/// <summary>
/// The containers Bicep declares against <see cref="CosmosContainers.All"/>. Under data-plane RBAC the app cannot
/// create containers in Azure, so a container missing here, or one with the wrong key or TTL, breaks production only.
/// </summary>
public sealed class CosmosContainersDriftTests
{
    private const string ContainerResourceType = "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@";

    [Fact]
    public void Containers_ComparedWithCosmosContainersAll_MatchExactly()
    {
        var declared = DeclaredContainers()
            .Select(c => new ContainerSpec(
                (string)BicepSource.Scalar(c.Value("name"))!,
                (string)BicepSource.Scalar(c.Value("partitionKeyPath"))!,
                (int?)BicepSource.Scalar(c.Value("defaultTtl")),
                (string?)BicepSource.Scalar(c.Value("uniqueKeyPath"))))
            .OrderBy(c => c.Name, StringComparer.Ordinal);

        var expected = CosmosContainers.All.OrderBy(c => c.Name, StringComparer.Ordinal);

        Assert.Equal(expected, declared);
    }

    [Fact]
    public void ContainerResources_AcrossInfra_AreOneLoopOverContainersVariable()
    {
        var declarations = BicepSource.InfraFiles()
            .SelectMany(file => BicepSource.Parse(BicepSource.Load(file).WithoutComments()).Resources())
            .Where(r => r.Type.StartsWith(ContainerResourceType, StringComparison.Ordinal))
            .ToList();

        var declaration = Assert.Single(declarations);
        Assert.Matches(@"\bfor\s+\w+\s+in\s+containers\s*:", declaration.Declaration);
    }

    [Fact]
    public void DatabaseNameDefault_ComparedWithCosmosOptions_Matches()
    {
        var defaultName = BicepSource.Load("infra/main.bicep").ParameterDefault("cosmosDatabaseName");

        Assert.NotNull(defaultName);
        Assert.Equal(new CosmosOptions().DatabaseName, BicepSource.Scalar(defaultName));
    }

    [Fact]
    public void Containers_WithDefaultTtl_DoNotUseIndexingModeNone()
    {
        // Cosmos rejects indexing mode none on a container that has defaultTtl.
        var offending = DeclaredContainers()
            .Where(c => BicepSource.Scalar(c.Value("defaultTtl")) is not null)
            .Where(c => Equals(BicepSource.Scalar(IndexingPolicy(c).Value("indexingMode")), "none"))
            .Select(c => c.Value("name"))
            .ToList();

        Assert.Empty(offending);
    }

    [Fact]
    public void AuditIndexing_IncludedPaths_AreAuditDocumentProperties()
    {
        var audit = DeclaredContainers().Single(c => Equals(BicepSource.Scalar(c.Value("name")), CosmosContainers.Audit.Name));
        var properties = StorageJsonContext.Default.AuditDocument.Properties.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

        var paths = BicepSource.ParseLiteral(IndexingPolicy(audit).Value("includedPaths")).Elements()
            .Select(element => (string)BicepSource.Scalar(BicepSource.ParseLiteral(element).Value("path"))!)
            .ToList();

        Assert.NotEmpty(paths);
        Assert.All(paths, path =>
        {
            var property = path.Trim('/').Split('/')[0];
            Assert.True(properties.Contains(property), $"Audit index path {path} names no AuditDocument property.");
        });
    }

    private static IReadOnlyList<BicepLiteral> DeclaredContainers() =>
        ContainersFile().Variable("containers")!.Elements().Select(BicepSource.ParseLiteral).ToList();

    // A container's indexingPolicy is a variable of the file that declares the containers, or an inline literal.
    private static BicepLiteral IndexingPolicy(BicepLiteral container)
    {
        var raw = container.Value("indexingPolicy");
        return raw.StartsWith('{')
            ? BicepSource.ParseLiteral(raw)
            : ContainersFile().Variable(raw) ?? throw new KeyNotFoundException($"No variable {raw} beside the containers.");
    }

    private static BicepSource ContainersFile() =>
        Assert.Single(BicepSource.InfraFiles().Select(BicepSource.Load), source => source.Variable("containers") is not null);
}
