using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Purchases.Infrastructure.Api;

namespace Purchases.Infrastructure.Auth;

/// <summary>
/// <c>Authorization: Bearer &lt;token&gt;</c> with the answers of Django REST Framework's TokenAuthentication,
/// which the seed system used and whose messages the contract keeps. The token itself is never logged.
/// </summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TokenStore tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    const string Keyword = "Bearer";

    public const string NotProvided = "Authentication credentials were not provided.";
    public const string NoCredentials = "Invalid token header. No credentials provided.";
    public const string ContainsSpaces = "Invalid token header. Token string should not contain spaces.";
    public const string InvalidToken = "Invalid token.";
    public const string Forbidden = "You do not have permission to perform this action.";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var words = Request.Headers.Authorization.ToString()
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || !words[0].Equals(Keyword, StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        if (words.Length == 1) return AuthenticateResult.Fail(NoCredentials);
        if (words.Length > 2) return AuthenticateResult.Fail(ContainsSpaces);

        var owner = await tokens.FindActiveAsync(words[1], Context.RequestAborted);
        if (owner is null) return AuthenticateResult.Fail(InvalidToken);

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, owner.Name), new Claim(ClaimTypes.Role, owner.Role)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = Keyword;
        await ApiErrors.WriteAsync(Context, StatusCodes.Status401Unauthorized,
            new DetailBody(result.Failure?.Message ?? NotProvided));
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiErrors.WriteAsync(Context, StatusCodes.Status403Forbidden, new DetailBody(Forbidden));
}
