using LinkFunctions.Login;

namespace LinkFunctions.Tests.Login;

public class PkceTests
{
    [Fact]
    public void Challenge_LinesDocumentedVector_MatchesS256()
    {
        Assert.Equal("BSCQwo_m8Wf0fpjmwkIKmPAJ1A7tiuRSNDnXzODS7QI", Pkce.Challenge("wJKN8qz5t8SSI9lMFhBB6qwNkQBkuPZoCxzRhwLRUo1"));
    }

    [Fact]
    public void CreateVerifier_Twice_UnreservedCharactersWithinLengthAndDistinct()
    {
        var first = Pkce.CreateVerifier();
        var second = Pkce.CreateVerifier();

        Assert.InRange(first.Length, 43, 128);
        Assert.Matches("^[A-Za-z0-9._~-]+$", first);
        Assert.NotEqual(first, second);
    }
}
