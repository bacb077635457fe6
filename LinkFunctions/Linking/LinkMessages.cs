using LinkFunctions.LineApi;

namespace LinkFunctions.Linking;

/// <summary>What the Official Account says during linking. LINE requires telling users at linking time that they can unlink.</summary>
public static class LinkMessages
{
    public static IReadOnlyList<TextMessage> Prompt(Uri linkUrl) =>
        [new($"Link your LINE account with your account on our service:\n{linkUrl}\nThe link is valid for 10 minutes. You can unlink at any time.")];

    public static IReadOnlyList<TextMessage> OneToOneOnly { get; } =
        [new("To link your account, please send \"link\" to us in a 1:1 chat.")];

    /// <summary>Pushed to a LINE user whose link was replaced: their service account now links another LINE account.</summary>
    public static IReadOnlyList<TextMessage> Replaced { get; } =
        [new("This LINE account is no longer linked with your account on our service, because that account was linked with another LINE account. If this was not you, please contact us.")];

    public static IReadOnlyList<TextMessage> Linked { get; } =
        [new("Your LINE account is now linked. You can unlink it at any time.")];
}
