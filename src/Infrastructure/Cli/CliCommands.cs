using Purchases.Infrastructure.Auth;
using Purchases.Infrastructure.LocalPostgres;
using Purchases.Infrastructure.Persistence;

namespace Purchases.Infrastructure.Cli;

/// <summary>The same executable is the CLI: exit 0 on success, 1 with a one-line message on stderr otherwise.</summary>
public static class CliCommands
{
    static readonly string[] Commands = ["migrate", "customers", "tokens", "outbox"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0]);

    /// <summary>Logs go to stderr, so that stdout carries only what a command prints (a token, a table).</summary>
    public static WebApplicationBuilder ConfigureForCli(this WebApplicationBuilder builder, string[] args)
    {
        if (IsCommand(args))
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        }
        return builder;
    }

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter stdout, TextWriter stderr)
    {
        var embedded = services.GetService<EmbeddedDatabase>();
        try
        {
            if (embedded is not null || args is ["migrate"])
                await services.MigrateDatabaseAsync();
            if (args is ["migrate"])
                return 0;

            await using var scope = services.CreateAsyncScope();
            var tokens = scope.ServiceProvider.GetRequiredService<TokenAdministration>();
            var ct = CancellationToken.None;
            var output = args switch
            {
                ["customers", "add", var user] => await tokens.AddCustomerAsync(user, ct),
                ["tokens", "issue", "--role", var role, var name] => await tokens.IssueServiceTokenAsync(role, name, ct),
                ["tokens", "issue", var user] when !user.StartsWith("--") => await tokens.IssueCustomerTokenAsync(user, ct),
                ["tokens", "revoke", var token] => await Revoke(tokens, token, ct),
                _ => throw new CliUsageException(),
            };
            await stdout.WriteLineAsync(output);
            return 0;
        }
        catch (CliUsageException)
        {
            await stderr.WriteLineAsync(
                "Usage: migrate | customers add <user> | tokens issue <user> | tokens issue --role worker|operator <name> | tokens revoke <token>");
            return 1;
        }
        catch (TokenAdministrationException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return 1;
        }
        catch (Exception e) when (Api.ApiErrors.IsDatabaseUnavailable(e))
        {
            await stderr.WriteLineAsync($"The database is unreachable: {e.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
        finally
        {
            embedded?.Stop();
        }
    }

    static async Task<string> Revoke(TokenAdministration tokens, string token, CancellationToken ct)
    {
        await tokens.RevokeAsync(token, ct);
        return "Token revoked.";
    }

    sealed class CliUsageException : Exception;
}
