namespace LinkFunctions.Login;

/// <summary>The one query parameter added to the returnUrl: what happened, and nothing more.</summary>
public static class LoginResults
{
    public const string Parameter = "result";
    public const string Linked = "linked";
    public const string Cancelled = "cancelled";
    public const string Failed = "failed";
}
