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
        var header = Request.Headers.Authorization.ToString();
        var (count, keyword, token) = Words(header);
        if (count == 0 || !header.AsSpan(keyword).Equals(Keyword, StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        if (count == 1) return AuthenticateResult.Fail(NoCredentials);
        if (count > 2) return AuthenticateResult.Fail(ContainsSpaces);

        var principal = tokens.FindCached(header.AsSpan(token))
                        ?? await tokens.FindActiveAsync(header[token], Context.RequestAborted);
        return principal is null
            ? AuthenticateResult.Fail(InvalidToken)
            : AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>
    /// DRF's <c>header.split()</c> without its allocations: how many whitespace-separated words (counting stops at
    /// 3: more is "contains spaces" all the same), and where the first two are.
    /// </summary>
    static (int Count, Range First, Range Second) Words(string header)
    {
        Span<Range> words = stackalloc Range[2];
        var (count, i) = (0, 0);
        while (count < 3)
        {
            while (i < header.Length && char.IsWhiteSpace(header[i])) i++;
            if (i == header.Length) break;
            var start = i;
            while (i < header.Length && !char.IsWhiteSpace(header[i])) i++;
            if (count < 2) words[count] = start..i;
            count++;
        }
        return (count, words[0], words[1]);
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
