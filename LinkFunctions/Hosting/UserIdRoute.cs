using LinkFunctions.Linking;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace LinkFunctions.Hosting;

/// <summary>
/// The routes named by a user ID (lookup, unlink, erasure): the ID is checked before any storage call, so a bad one is
/// a 400 that never reaches Cosmos, and a dependency failure maps as everywhere else (never a 500).
/// </summary>
public static class UserIdRoute
{
    public static IActionResult InvalidServiceUserId() => HttpResults.BadRequest("invalid-service-user-id", Identifiers.ServiceUserIdRule);

    public static IActionResult InvalidLineUserId() => HttpResults.BadRequest("invalid-line-user-id", Identifiers.LineUserIdRule);

    public static Task<IActionResult> ForServiceUser(string serviceUserId, Func<Task<IActionResult>> run, ILogger logger) =>
        Identifiers.IsServiceUserId(serviceUserId) ? GuardAsync(run, logger) : Task.FromResult(InvalidServiceUserId());

    public static Task<IActionResult> ForLineUser(string lineUserId, Func<Task<IActionResult>> run, ILogger logger) =>
        Identifiers.IsLineUserId(lineUserId) ? GuardAsync(run, logger) : Task.FromResult(InvalidLineUserId());

    /// <summary>For the idempotent deletes: 204 once the work is done, whether or not there was anything to delete.</summary>
    public static async Task<IActionResult> NoContentAsync(Task work)
    {
        await work;
        return new NoContentResult();
    }

    private static async Task<IActionResult> GuardAsync(Func<Task<IActionResult>> run, ILogger logger)
    {
        try
        {
            return await run();
        }
        catch (Exception ex)
        {
            return DependencyFailure.Map(ex, logger);
        }
    }
}
