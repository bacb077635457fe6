using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace LinkFunctions.Simulator.Line;

/// <summary>A simulated LINE user, and whether they have the Official Account as a friend.</summary>
public sealed class LineUser(string userId, string name)
{
    public string UserId { get; } = userId;

    public string Name { get; } = name;

    public bool IsFriend { get; set; }
}

/// <summary>One bubble in a chat: the user's message or the bot's (a LINE message object), or a note of the simulator's.</summary>
public sealed record ChatMessage(long Seq, string From, JsonNode Message, DateTimeOffset At);

/// <summary>The simulated users and each one's 1:1 chat with the Official Account.</summary>
public sealed class LineUsers
{
    private readonly ConcurrentDictionary<string, LineUser> users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<ChatMessage>> chats = new(StringComparer.Ordinal);
    private long seq;

    public IReadOnlyList<LineUser> All => [.. users.Values.OrderBy(u => u.Name, StringComparer.Ordinal)];

    public LineUser Create(string name)
    {
        var user = new LineUser(LineIds.NewUserId(), string.IsNullOrWhiteSpace(name) ? "LINE user" : name.Trim());
        users[user.UserId] = user;
        chats[user.UserId] = [];
        return user;
    }

    public LineUser? Find(string? userId) => userId is not null && users.TryGetValue(userId, out var user) ? user : null;

    public void Append(string userId, string from, JsonNode message)
    {
        var chat = chats.GetOrAdd(userId, _ => []);
        lock (chat)
        {
            chat.Add(new ChatMessage(Interlocked.Increment(ref seq), from, message.DeepClone(), DateTimeOffset.UtcNow));
        }
    }

    public void Note(string userId, string text) => Append(userId, "system", new JsonObject { ["type"] = "text", ["text"] = text });

    public IReadOnlyList<ChatMessage> Chat(string userId, long after = 0)
    {
        if (!chats.TryGetValue(userId, out var chat))
        {
            return [];
        }

        lock (chat)
        {
            return [.. chat.Where(m => m.Seq > after)];
        }
    }
}
