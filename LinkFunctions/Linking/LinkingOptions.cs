namespace LinkFunctions.Linking;

/// <summary>The linking flow (configuration section <c>Linking</c>).</summary>
public sealed class LinkingOptions
{
    public const string Section = "Linking";

    /// <summary>Where this app is reachable; the linking URL is built on it.</summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>Delegated mode: the service's own page that logs the user in and asks us for a nonce.</summary>
    public Uri? ServiceLinkPageUrl { get; set; }

    /// <summary>Comma-separated text messages that start linking, compared case-insensitively.</summary>
    public string Keywords { get; set; } = "link";

    public bool PromptOnFollow { get; set; } = true;

    /// <summary>Comma-separated text messages that unlink the sender, compared case-insensitively; the first is the one we tell users.</summary>
    public string UnlinkKeywords { get; set; } = "unlink";

    /// <summary><c>keep</c> (the default): a user who blocks the account stays linked. <c>unlink</c>: unfollow unlinks.</summary>
    public string UnfollowPolicy { get; set; } = UnfollowPolicies.Keep;

    /// <summary>
    /// Push a message to a LINE user whose link was replaced because their service account linked another LINE
    /// account. Off by default: a push counts against the channel's monthly message quota.
    /// </summary>
    public bool NotifyReplaced { get; set; }

    public const string AllowedReturnUrlsKey = "Linking:AllowedReturnUrls";

    /// <summary>
    /// Where LINE Login may send the browser back to: origin plus path prefix, bound from
    /// <c>Linking__AllowedReturnUrls__0..n</c> or a comma-separated <c>Linking__AllowedReturnUrls</c>. Empty: no returnUrl is
    /// accepted. Get-only, as collection options are: the binder fills it in place.
    /// </summary>
    public IList<string> AllowedReturnUrls { get; } = new List<string>();

    public IReadOnlyList<string> KeywordList =>
        Keywords.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IReadOnlyList<string> UnlinkKeywordList =>
        UnlinkKeywords.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The keyword the linking messages tell users about.</summary>
    public string UnlinkKeyword => UnlinkKeywordList.FirstOrDefault() ?? "unlink";

    public bool UnlinkOnUnfollow => string.Equals(UnfollowPolicy, UnfollowPolicies.Unlink, StringComparison.OrdinalIgnoreCase);

    /// <summary>The comma-separated form, which a single app setting can hold.</summary>
    public void AddCommaSeparatedReturnUrls(string? value)
    {
        foreach (var url in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            AllowedReturnUrls.Add(url);
        }
    }
}

public static class UnfollowPolicies
{
    public const string Keep = "keep";
    public const string Unlink = "unlink";
}
