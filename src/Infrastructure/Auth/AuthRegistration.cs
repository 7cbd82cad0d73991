using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Purchases.Infrastructure.Auth;

public static class AuthRegistration
{
    public static WebApplicationBuilder AddBearerTokens(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TokenStore>();
        builder.Services.AddScoped<TokenAdministration>();
        builder.Services.AddSingleton<IAuthorizationHandler, UserRouteRequirementHandler>();
        builder.Services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, _ => { });
        builder.Services.AddAuthorization(AccessPolicies.Add);
        return builder;
    }
}
