using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LinkFunctions.Tests.TestSupport;

/// <summary>LIFF's part of the fake: LINE's JWKS, publishing the public key of the ES256 signer tests use.</summary>
public sealed partial class LineFake
{
    public const string JwksPath = "/oauth2/v2.1/certs";

    /// <summary>The key LINE signs LIFF ID tokens with.</summary>
    public LiffIdTokens Liff { get; } = new();

    private void MapLiff(WebApplication app) =>
        app.MapGet(JwksPath, () => Results.Text(LiffIdTokens.Jwks(Liff), "application/json"));
}
