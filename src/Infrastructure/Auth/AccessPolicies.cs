using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Purchases.Infrastructure.Persistence;

namespace Purchases.Infrastructure.Auth;

/// <summary>Who may call what: the roles of the contract and the <c>{user}</c> of the route.</summary>
public static class AccessPolicies
{
    /// <summary>Submitting: the customer named by <c>{user}</c>, or an operator.</summary>
    public const string SubmitForUser = nameof(SubmitForUser);
    /// <summary>Reading and reporting back: that customer, a worker (the Argo workflows), or an operator.</summary>
    public const string ReadOrReportForUser = nameof(ReadOrReportForUser);
    public const string Operator = nameof(Operator);

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(SubmitForUser, p => p.AddRequirements(new UserRouteRequirement(AllowWorker: false)));
        options.AddPolicy(ReadOrReportForUser, p => p.AddRequirements(new UserRouteRequirement(AllowWorker: true)));
        options.AddPolicy(Operator, p => p.RequireRole(TokenRole.Operator));
    }
}

public sealed record UserRouteRequirement(bool AllowWorker) : IAuthorizationRequirement;

internal sealed class UserRouteRequirementHandler : AuthorizationHandler<UserRouteRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, UserRouteRequirement requirement)
    {
        if (context.User.IsInRole(TokenRole.Operator) ||
            (requirement.AllowWorker && context.User.IsInRole(TokenRole.Worker)) ||
            (context.User.IsInRole(TokenRole.Customer) && IsOwnUser(context)))
            context.Succeed(requirement);
        return Task.CompletedTask;
    }

    /// <summary>An empty <c>{user}</c> names nobody else: it is let through so validation can name the problem.</summary>
    static bool IsOwnUser(AuthorizationHandlerContext context)
    {
        var routeUser = (context.Resource as HttpContext)?.GetRouteValue("user") as string;
        return string.IsNullOrEmpty(routeUser) || routeUser == context.User.FindFirstValue(ClaimTypes.Name);
    }
}
