using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.LineApi;

/// <summary>Logs every LINE attempt with its <c>x-line-request-id</c> and status; never a URL, header or body.</summary>
public sealed partial class LineApiLoggingHandler(ILogger<LineApiLoggingHandler> logger, Hosting.LinkMetrics? metrics = null) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var endpoint = request.Options.TryGetValue(LineRequest.Endpoint, out var name) ? name : "unknown";
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            LogCall(logger, endpoint, (int)response.StatusCode, LineRequest.RequestId(response), Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            metrics?.LineCalled(endpoint, (int)response.StatusCode);
            return response;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            LogFailure(logger, endpoint, ex.GetType().Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "LINE {Endpoint} answered {Status} (x-line-request-id {LineRequestId}) in {ElapsedMs:F0} ms")]
    private static partial void LogCall(ILogger logger, string endpoint, int status, string? lineRequestId, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LINE {Endpoint} got no answer ({Error}) after {ElapsedMs:F0} ms")]
    private static partial void LogFailure(ILogger logger, string endpoint, string error, double elapsedMs);
}
