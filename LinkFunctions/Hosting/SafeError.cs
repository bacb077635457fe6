using LinkFunctions.LineApi;
using LinkFunctions.Storage;

namespace LinkFunctions.Hosting;

/// <summary>
/// What of an exception may be logged. Our own exceptions carry safe messages; SDK messages and diagnostics can
/// hold request URIs with document ids (nonces, link-token hashes), so only their type is logged.
/// </summary>
public static class SafeError
{
    public static string Describe(Exception exception) => exception switch
    {
        LineApiException or StorageException => exception.Message,
        OperationCanceledException => "cancelled (time budget spent or request aborted)",
        _ => exception.GetType().Name,
    };
}
