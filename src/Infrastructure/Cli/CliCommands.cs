using System.CommandLine;
using Purchases.Infrastructure.LocalPostgres;
using Purchases.Infrastructure.Persistence;

namespace Purchases.Infrastructure.Cli;

/// <summary>The same executable is the CLI: exit 0 on success, 1 with a one-line message on stderr otherwise.</summary>
public static class CliCommands
{
    static readonly string[] Commands = ["migrate", "customers", "tokens", "outbox", "--help", "-h", "-?"];

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
        var cli = new CliContext(services, stdout, stderr);
        var root = new RootCommand("Purchases. Without a command it runs the web service.")
        {
            TokenCommands.Migrate(cli), TokenCommands.Customers(cli), TokenCommands.Tokens(cli), OutboxCommands.Outbox(cli),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            await stderr.WriteLineAsync($"Usage: {parsed.Errors[0].Message} See --help.");
            return 1;
        }

        var embedded = services.GetService<EmbeddedDatabase>();
        try
        {
            if (embedded is not null)
                await services.MigrateDatabaseAsync();
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        }
        finally
        {
            embedded?.Stop();
        }
    }
}
