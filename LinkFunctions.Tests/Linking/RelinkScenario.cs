using LinkFunctions.Linking;
using LinkFunctions.Storage;

namespace LinkFunctions.Tests.Linking;

internal sealed record SeededLink(string Line, string User, string LinkId, long Version);

/// <summary>
/// Links that exist, a relink request over them, and what the reader must answer for every party before the relink
/// commits (each old link, both ways) and after it (the new link both ways, the displaced parties unlinked).
/// </summary>
internal sealed record RelinkScenario(string Name, IReadOnlyList<SeededLink> Old, LinkRequest Request)
{
    public const string LineUserMoves = "line user moves to another service user";
    public const string ServiceUserMoves = "service user moves to another LINE user";
    public const string BothMove = "both already linked elsewhere";
    public const string SamePairNewLink = "same pair, newer link";

    public static readonly IReadOnlyList<string> Names = [LineUserMoves, ServiceUserMoves, BothMove, SamePairNewLink];

    /// <param name="tag">Makes the IDs unique where several tests share one store.</param>
    public static RelinkScenario Create(string name, string tag = "")
    {
        var l1 = LineUser('1', tag);
        var l2 = LineUser('2', tag);
        var alice = "alice" + tag;
        var bob = "bob" + tag;
        LinkRequest Relink(string line, string user) => new(line, user, "link-new" + tag, 200, "messaging-api", DateTimeOffset.FromUnixTimeMilliseconds(200));
        return name switch
        {
            LineUserMoves => new(name, [new(l1, alice, "link-a" + tag, 100)], Relink(l1, bob)),
            ServiceUserMoves => new(name, [new(l1, alice, "link-a" + tag, 100)], Relink(l2, alice)),
            BothMove => new(name, [new(l1, alice, "link-a" + tag, 100), new(l2, bob, "link-b" + tag, 150)], Relink(l1, bob)),
            SamePairNewLink => new(name, [new(l1, alice, "link-a" + tag, 100)], Relink(l1, alice)),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    /// <summary>The old links the relink takes a party away from (not the same pair linked anew).</summary>
    public IEnumerable<SeededLink> Displaced => Old.Where(o => o.Line != Request.LineUserId || o.User != Request.ServiceUserId);

    public IEnumerable<LinkDocument> Halves(ProviderKey provider, DateTimeOffset writtenAt) => Old.SelectMany(o => new[]
    {
        Half(provider.LineSide(o.Line), o, writtenAt),
        Half(provider.UserSide(o.User), o, writtenAt),
    });

    /// <summary>What is wrong with the state, read through <paramref name="reader"/>, if the old links should hold.</summary>
    public async Task<List<string>> OldLinksHoldAsync(LinkReader reader)
    {
        var wrong = new List<string>();
        foreach (var old in Old)
        {
            await Expect(wrong, reader, old.Line, old.User, old.LinkId);
        }

        if (Old.All(o => o.Line != Request.LineUserId))
        {
            await Expect(wrong, reader, Request.LineUserId, null, null);
        }

        if (Old.All(o => o.User != Request.ServiceUserId))
        {
            await Expect(wrong, reader, null, Request.ServiceUserId, null);
        }

        return wrong;
    }

    /// <summary>What is wrong with the state if the new link should hold and the displaced parties be unlinked.</summary>
    public async Task<List<string>> NewLinkHoldsAsync(LinkReader reader)
    {
        var wrong = new List<string>();
        await Expect(wrong, reader, Request.LineUserId, Request.ServiceUserId, Request.LinkId);
        foreach (var old in Old)
        {
            if (old.Line != Request.LineUserId)
            {
                await Expect(wrong, reader, old.Line, null, null);
            }

            if (old.User != Request.ServiceUserId)
            {
                await Expect(wrong, reader, null, old.User, null);
            }
        }

        return wrong;
    }

    private static async Task Expect(List<string> wrong, LinkReader reader, string? line, string? user, string? linkId)
    {
        if (line is not null)
        {
            var view = await reader.FindByLineUserAsync(line, CancellationToken.None);
            if (view?.ServiceUserId != user || view?.LinkId != linkId)
            {
                wrong.Add($"by LINE user {line}: {Describe(view)}, expected {user ?? "none"}/{linkId ?? "none"}");
            }
        }

        if (user is not null && (line is null || linkId is not null))
        {
            var view = await reader.FindByServiceUserAsync(user, CancellationToken.None);
            if (view?.LineUserId != line || view?.LinkId != linkId)
            {
                wrong.Add($"by service user {user}: {Describe(view)}, expected {line ?? "none"}/{linkId ?? "none"}");
            }
        }
    }

    private static string Describe(LinkView? view) => view is null ? "none" : $"{view.LineUserId}/{view.ServiceUserId}/{view.LinkId}";

    private static string LineUser(char digit, string tag) =>
        "U" + (new string(digit, 32 - Math.Min(tag.Length, 16)) + tag[..Math.Min(tag.Length, 16)]);

    private static LinkDocument Half(string id, SeededLink link, DateTimeOffset writtenAt) => new()
    {
        Id = id, LineUserId = link.Line, ServiceUserId = link.User, LinkId = link.LinkId, Version = link.Version,
        State = LinkStates.Linked, Method = "messaging-api", LinkedAt = DateTimeOffset.FromUnixTimeMilliseconds(link.Version),
        WrittenAt = writtenAt,
    };
}
