using System.CommandLine;
using Purchases.Infrastructure.Auth;
using Purchases.Infrastructure.Persistence;

namespace Purchases.Cli;

/// <summary><c>migrate</c>, <c>customers add</c>, <c>tokens issue</c>, <c>tokens revoke</c>.</summary>
public static class TokenCommands
{
    public static Command Migrate(CliContext cli)
    {
        var migrate = new Command("migrate", "Apply the database migrations, make the rows' partitions ahead, and exit.");
        migrate.SetAction(cli.Action(async (_, services, ct) =>
        {
            await services.MigrateDatabaseAsync(ct);
            return "";
        }));
        return migrate;
    }

    public static Command Customers(CliContext cli)
    {
        var user = new Argument<string>("user") { Description = "The {user} of the API's URLs." };
        var add = new Command("add", "Create a customer and print its first token.") { user };
        add.SetAction(cli.Action((parsed, services, ct) =>
            services.GetRequiredService<TokenAdministration>().AddCustomerAsync(parsed.GetRequiredValue(user), ct)));
        return new Command("customers", "Retailer accounts.") { add };
    }

    public static Command Tokens(CliContext cli)
    {
        var name = new Argument<string>("user-or-name") { Description = "A customer's user, or a worker's or operator's name." };
        var role = new Option<string>("--role") { Description = "worker or operator; without it, a customer token." };
        var issue = new Command("issue", "Issue a token and print it.") { name, role };
        issue.SetAction(cli.Action((parsed, services, ct) =>
        {
            var tokens = services.GetRequiredService<TokenAdministration>();
            return parsed.GetValue(role) is { } r
                ? tokens.IssueServiceTokenAsync(r, parsed.GetRequiredValue(name), ct)
                : tokens.IssueCustomerTokenAsync(parsed.GetRequiredValue(name), ct);
        }));

        var token = new Argument<string>("token");
        var revoke = new Command("revoke", "Revoke a token at once.") { token };
        revoke.SetAction(cli.Action(async (parsed, services, ct) =>
        {
            await services.GetRequiredService<TokenAdministration>().RevokeAsync(parsed.GetRequiredValue(token), ct);
            return "Token revoked.";
        }));
        return new Command("tokens", "Bearer tokens.") { issue, revoke };
    }
}
