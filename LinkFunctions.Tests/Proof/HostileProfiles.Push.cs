using Microsoft.AspNetCore.Http;

namespace LinkFunctions.Tests.Proof;

/// <summary>Push by service user: a bad retry key, service user ID or messages array is 400; a valid unknown user 404.</summary>
public static partial class HostileProfiles
{
    private static Task<HostileCase> PushToUser(Junk junk, HostileContext context)
    {
        var serviceUserId = junk.ServiceUserId();
        var message = $"{{\"type\":\"text\",\"text\":{Json(junk, junk.Text())}}}";
        var messages = "[" + string.Join(',', Enumerable.Repeat(message, junk.Next(1, 6))) + "]";
        var plan = junk.Next(5) switch
        {
            0 => new BodyPlan("bad-service-user-id", [("serviceUserId", Json(junk, serviceUserId = junk.BadServiceUserId())), ("messages", messages)], 400, "serviceUserId"),
            1 => new BodyPlan("bad-messages", [("serviceUserId", Json(junk, serviceUserId)), .. BadMessages(junk, message)], 400),
            2 => new BodyPlan("wrong-type", [("serviceUserId", WrongType(junk)), ("messages", messages)], 400),
            _ => new BodyPlan("valid-unknown-user", [("serviceUserId", Json(junk, serviceUserId)), ("messages", messages)], 404, "serviceUserId"),
        };
        (string Prefix, string[] Values) retryKey = junk.Next(8) switch
        {
            0 => ("bad-retry-key/", [junk.Pick(Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("B"), junk.Text(), "", "00000000-0000-0000-0000-00000000000g")]),
            1 => ("two-retry-keys/", [Guid.NewGuid().ToString(), Guid.NewGuid().ToString()]),
            2 => ("", [Guid.NewGuid().ToString()]),
            _ => ("", []),
        };
        var built = Post(junk, "messages/push", plan with { Secrets = [serviceUserId] }, request =>
        {
            if (retryKey.Values.Length > 0)
            {
                request.Headers["X-Line-Retry-Key"] = retryKey.Values;
            }
        });

        // The header is checked before the body is read.
        return Task.FromResult(retryKey.Prefix.Length > 0 ? built with { Kind = retryKey.Prefix + built.Kind, Expected = 400 } : built);
    }

    private static (string, string)[] BadMessages(Junk junk, string message) => junk.Next(12) switch
    {
        0 => [],
        1 => [("messages", junk.Pick("{}", "\"text\"", "null", "1", "true"))],
        2 => [("messages", "[]")],
        3 => [("messages", "[" + string.Join(',', Enumerable.Repeat(message, junk.Next(6, 50))) + "]")],
        4 => [("messages", "[" + junk.Pick("1", "\"x\"", "null", "[]") + "]")],
        5 => [("messages", "[{}]")],
        6 => [("messages", "[{\"type\":" + junk.Pick("\"\"", "1", "null", "{}") + "}]")],
        7 => [("messages", "[{\"type\":\"text\"}]")],
        8 => [("messages", "[{\"type\":\"text\",\"text\":" + junk.Pick("\"\"", "1", "null", "[]") + "}]")],
        9 => [("messages", $"[{{\"type\":\"text\",\"text\":\"{new string('a', junk.Next(5001, 20_000))}\"}}]")],
        10 => [("messages", $"[{message},{{\"type\":\"text\",\"text\":\"\"}}]")],
        _ => [("messages", $"[{{\"type\":\"text\",\"text\":\"{string.Concat(Enumerable.Repeat("😀", 2501))}\"}}]")],
    };
}
