namespace LinkFunctions.Tests.Infra;

/// <summary>The Bicep reader the drift tests rely on: brackets inside strings and comments must not fool it.</summary>
public sealed class BicepSourceTests
{
    private const string Sample = """
        // var settings = { Fake__Key: 'x' }
        param databaseName string = 'linking' // trailing comment
        param noDefault string
        var settings = {
          Plain__Key: 'a}b{'
          'Quoted__Key': '${format('{0}', 'x]')}/path'
          /* block { comment } */ After__Block: concat('a', 'b')
          Nested__Key: empty(x) ? { inner: 1 } : {}
          Multi__Line: '''
            { not: a key }
            '''
        }
        var items = [
          {
            name: 'one'
            ttl: null
          }
          { name: 'two', ttl: -1 }
        ]
        """;

    [Fact]
    public void Variable_ObjectWithTrickyValues_YieldsTopLevelKeysOnly()
    {
        var keys = BicepSource.Parse(Sample).Variable("settings")!.Properties().Select(p => p.Key);

        Assert.Equal(["Plain__Key", "Quoted__Key", "After__Block", "Nested__Key", "Multi__Line"], keys);
    }

    [Fact]
    public void Variable_ArrayOfObjects_YieldsEachElementWithItsValues()
    {
        var elements = BicepSource.Parse(Sample).Variable("items")!.Elements().Select(BicepSource.ParseLiteral).ToList();

        Assert.Equal(2, elements.Count);
        Assert.Equal("one", BicepSource.Scalar(elements[0].Value("name")));
        Assert.Null(BicepSource.Scalar(elements[0].Value("ttl")));
        Assert.Equal("two", BicepSource.Scalar(elements[1].Value("name")));
        Assert.Equal(-1, BicepSource.Scalar(elements[1].Value("ttl")));
    }

    [Fact]
    public void Variable_NameOnlyInComment_IsNotFound()
    {
        Assert.Null(BicepSource.Parse("// var settings = {}\n").Variable("settings"));
    }

    [Fact]
    public void ParameterDefault_WithTrailingComment_ReturnsValueOnly()
    {
        var source = BicepSource.Parse(Sample);

        Assert.Equal("'linking'", source.ParameterDefault("databaseName"));
        Assert.Null(source.ParameterDefault("noDefault"));
    }

    [Fact]
    public void Properties_ValueWithTrailingComment_ExcludesTheComment()
    {
        var literal = BicepSource.ParseLiteral("{\n  a: 'x' // note\n}");

        Assert.Equal("'x'", literal.Value("a"));
    }
}
