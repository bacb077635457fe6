using LinkFunctions.LineApi;

namespace LinkFunctions.Linking;

/// <summary>What the Official Account says during linking. LINE requires telling users at linking time that they can unlink.</summary>
public static class LinkMessages
{
    public static IReadOnlyList<TextMessage> Prompt(Uri linkUrl, string unlinkKeyword) =>
        [new($"Link your LINE account with your account on our service:\n{linkUrl}\nThe link is valid for 10 minutes. {HowToUnlink(unlinkKeyword)}")];

    public static IReadOnlyList<TextMessage> OneToOneOnly { get; } =
        [new("To link your account, please send \"link\" to us in a 1:1 chat.")];

    /// <summary>Pushed to a LINE user whose link was replaced: their service account now links another LINE account.</summary>
    public static IReadOnlyList<TextMessage> Replaced { get; } =
        [new("This LINE account is no longer linked with your account on our service, because that account was linked with another LINE account. If this was not you, please contact us.")];

    public static IReadOnlyList<TextMessage> Linked(string unlinkKeyword) =>
        [new($"Your LINE account is now linked. {HowToUnlink(unlinkKeyword)}")];

    public static IReadOnlyList<TextMessage> Unlinked { get; } =
        [new("Your LINE account is no longer linked with your account on our service.")];

    /// <summary>The answer to an unlink request when nothing was linked (or a redelivery found it done).</summary>
    public static IReadOnlyList<TextMessage> NotLinked { get; } =
        [new("Your LINE account is not linked with an account on our service.")];

    private static string HowToUnlink(string unlinkKeyword) => $"You can unlink at any time: send \"{unlinkKeyword}\" to us.";
}
