namespace LinkFunctions.Hosting;

public enum AuthMode
{
    /// <summary>The service's own website logs users in and calls us with a function key.</summary>
    Delegated,

    /// <summary>App Service Authentication (Easy Auth) sits in front and injects the principal headers.</summary>
    AppService,
}

/// <summary>Who the service user is (configuration section <c>Auth</c>).</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public AuthMode Mode { get; set; } = AuthMode.Delegated;

    /// <summary>AppService mode: the only identity provider whose principal IDs we accept.</summary>
    public string? LoginProvider { get; set; }

    /// <summary>Local only: trust principal headers without Easy Auth, for testing AppService mode.</summary>
    public bool AllowUnverifiedPrincipalHeaders { get; set; }
}
