using System.Net;
using LinkFunctions.LineApi;
using LinkFunctions.Linking;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Login;

/// <summary>
/// LINE Login's <c>sub</c> is the Messaging API user ID only when both channels sit under the same provider. If they
/// do not, a push or profile call for a user linked by LINE Login answers 400 or 404: say so, once per failure.
/// Callers that push to linked users hand their failures here.
/// </summary>
public sealed partial class LineLoginProviderCheck(LinkReader links, ILogger<LineLoginProviderCheck> logger)
{
    /// <summary>True when the failure points at the provider prerequisite (and a warning was logged).</summary>
    public async Task<bool> ObserveAsync(string lineUserId, LineApiException failure, CancellationToken cancellationToken)
    {
        if (failure.Status is not (HttpStatusCode.BadRequest or HttpStatusCode.NotFound))
        {
            return false;
        }

        var link = await links.FindByLineUserAsync(lineUserId, cancellationToken);
        if (link?.Method != LoginPolicy.Method)
        {
            return false;
        }

        LogProviderMismatch(logger, (int)failure.Status!, LogIds.Hash(lineUserId));
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "LINE answered {Status} for LINE user {LineUserHash}, linked by LINE Login: check that the LINE Login and Messaging API channels are under the same provider, or the IDs differ.")]
    private static partial void LogProviderMismatch(ILogger logger, int status, string lineUserHash);
}
