using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace LinkFunctions.Simulator;

/// <summary>The simulator's server-rendered pages: one layout, everything from the request HTML-encoded.</summary>
public static class Html
{
    public static string E(string? value) => HtmlEncoder.Default.Encode(value ?? "");

    /// <param name="theme"><c>line</c> for LINE's own screens, <c>service</c> for "your service".</param>
    public static IResult Page(string title, string theme, string body, int status = StatusCodes.Status200OK) => Results.Content(
        $"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{E(title)}</title><link rel="stylesheet" href="/site.css"></head>
        <body class="{theme}"><main class="card">
        <header class="banner">{(theme == "line" ? "LINE <small>(simulated)</small>" : "Your service <small>(simulated)</small>")}</header>
        {body}
        </main></body></html>
        """,
        "text/html; charset=utf-8",
        statusCode: status);

    public static string Hidden(string name, string? value) => $"""<input type="hidden" name="{E(name)}" value="{E(value)}">""";
}
