using System.Diagnostics.CodeAnalysis;
using LinkFunctions.Linking;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Hosting;

public enum ServiceUserStatus
{
    Authenticated,
    Unauthenticated,

    /// <summary>Headers present but not acceptable: another identity provider, or an ID outside the grammar.</summary>
    Refused,
}

public sealed record ServiceUser(ServiceUserStatus Status, string? Id = null, string? Problem = null);

/// <summary>
/// AppService mode: Easy Auth injects the principal headers and strips client-sent ones. We trust them only when
/// the platform says Easy Auth is on (checked at start-up) and the identity provider is the configured one, because
/// a principal ID is unique only within one provider.
/// </summary>
public sealed partial class ServiceUserResolver(IOptions<AuthOptions> options, PlatformInfo platform, ILogger<ServiceUserResolver> logger)
{
    public const string PrincipalIdHeader = "X-MS-CLIENT-PRINCIPAL-ID";
    public const string PrincipalIdpHeader = "X-MS-CLIENT-PRINCIPAL-IDP";

    public ServiceUser Resolve(HttpRequest request)
    {
        var id = request.Headers[PrincipalIdHeader].ToString();
        var idp = request.Headers[PrincipalIdpHeader].ToString();
        if (string.IsNullOrEmpty(id))
        {
            return new ServiceUser(ServiceUserStatus.Unauthenticated);
        }

        if (!platform.EasyAuthEnabled)
        {
            LogUnverified(logger);
        }

        if (!string.Equals(idp, options.Value.LoginProvider, StringComparison.OrdinalIgnoreCase))
        {
            return new ServiceUser(ServiceUserStatus.Refused, Problem: "The signed-in identity provider is not the configured one.");
        }

        return Identifiers.IsServiceUserId(id)
            ? new ServiceUser(ServiceUserStatus.Authenticated, id)
            : new ServiceUser(ServiceUserStatus.Refused, Problem: "The signed-in principal ID is not a valid serviceUserId.");
    }

    /// <summary>
    /// A browser page's signed-in user, or the answer for a browser that has none: off to sign in (and back here), or
    /// 403 for a principal we do not accept.
    /// </summary>
    public bool TryResolvePage(HttpRequest request, [NotNullWhen(true)] out string? serviceUserId, [NotNullWhen(false)] out IActionResult? answer)
    {
        var user = Resolve(request);
        (serviceUserId, answer) = user.Status switch
        {
            ServiceUserStatus.Authenticated => (user.Id, null),
            ServiceUserStatus.Unauthenticated => (null, new RedirectResult(LoginUrl(request))),
            _ => ((string?)null, (IActionResult?)HttpResults.Problem(StatusCodes.Status403Forbidden, "service-user-refused", "Forbidden", user.Problem)),
        };
        return serviceUserId is not null;
    }

    /// <summary>Where an unauthenticated browser signs in, coming back to the same path and query afterwards.</summary>
    public string LoginUrl(HttpRequest request) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(
            $"/.auth/login/{Uri.EscapeDataString(options.Value.LoginProvider ?? "")}",
            "post_login_redirect_uri",
            $"{request.PathBase}{request.Path}{request.QueryString}");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trusting unverified principal headers (Auth__AllowUnverifiedPrincipalHeaders): local testing only.")]
    private static partial void LogUnverified(ILogger logger);
}
