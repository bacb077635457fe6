namespace LinkFunctions.Notifications;

/// <summary>The <c>type</c> of a link-change notification.</summary>
public static class LinkChangeTypes
{
    public const string Linked = "link.linked";
    public const string Replaced = "link.replaced";
    public const string Unlinked = "link.unlinked";
    public const string Erased = "user.erased";
}
