using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LinkFunctions.Tests.TestSupport;

/// <summary>LIFF's part of the fake: LINE's JWKS, serving the public keys of the ES256 signers tests use.</summary>
public sealed partial class LineFake
{
    public const string JwksPath = "/oauth2/v2.1/certs";

    /// <summary>The key LINE signs LIFF ID tokens with today.</summary>
    public LiffIdTokens Liff { get; } = new();

    /// <summary>The signers whose public keys the JWKS lists; a test adds one to simulate LINE rotating keys.</summary>
    public List<LiffIdTokens> PublishedLiffKeys { get; } = [];

    private void MapLiff(WebApplication app)
    {
        PublishedLiffKeys.Add(Liff);
        app.MapGet(JwksPath, () => Results.Text(LiffIdTokens.Jwks([.. PublishedLiffKeys]), "application/json"));
    }
}
