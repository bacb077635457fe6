using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LinkFunctions.Simulator.Line;

/// <summary>
/// LINE's accountLink endpoint (<c>{access}/dialog/bot/accountLink?linkToken&amp;nonce</c>): the user confirms, LINE
/// spends the link token and sends the accountLink event, <c>ok</c> with the token's owner or <c>failed</c>.
/// </summary>
public sealed class AccountLinkDialog(LineUsers users, LinkTokens linkTokens, ReplyTokens replyTokens, WebhookSender webhooks)
{
    public const string Path = "/dialog/bot/accountLink";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Path, (string? linkToken, string? nonce) =>
        {
            var owner = users.Find(linkTokens.Owner(linkToken));
            var who = owner is null
                ? "<p class=\"error\">This link token is unknown, expired or already used: linking will fail.</p>"
                : $"<p>Link the LINE account <b id=\"line-user-name\">{Html.E(owner.Name)}</b> with your account on the service?</p>";
            return Html.Page("Account link", "line", $"""
                <h1>Link accounts</h1>{who}
                <form method="post" action="{Path}">{Html.Hidden("linkToken", linkToken)}{Html.Hidden("nonce", nonce)}
                <div class="actions"><button name="decision" value="link" id="link" class="primary">Link</button>
                <button name="decision" value="cancel" id="cancel">Cancel</button></div></form>
                """);
        });
        app.MapPost(Path, async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var owner = linkTokens.Owner(form["linkToken"]);
            if (form["decision"] != "link")
            {
                return Results.Redirect(owner is null ? "/" : $"/?user={Uri.EscapeDataString(owner)}");
            }

            var userId = linkTokens.Spend(form["linkToken"]);
            var nonce = form["nonce"].ToString();
            await webhooks.SendAsync(userId is null
                ? WebhookEvents.AccountLink(null, null, nonce, ok: false)
                : WebhookEvents.AccountLink(userId, replyTokens.Issue(userId), nonce, ok: true));

            // Back to the chat, as LINE returns the user to the Official Account after the dialog.
            return Results.Redirect(userId is null ? "/" : $"/?user={Uri.EscapeDataString(userId)}");
        });
    }
}
