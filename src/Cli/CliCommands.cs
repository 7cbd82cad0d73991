using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Purchases.Infrastructure.LocalPostgres;
using Purchases.Infrastructure.Persistence;

namespace Purchases.Cli;

/// <summary>
/// The same executable is the CLI. Without arguments (or with only host settings such as <c>--urls</c>) it runs the
/// web service; anything else is a command. Every command exits 0, or 1 with one line on stderr.
/// </summary>
public sealed class CliCommands
{
    /// <summary>Host settings that may be given as <c>--name value</c>, besides configuration paths (<c>--Section:Key value</c>).</summary>
    static readonly string[] HostSettings = ["urls", "environment", "contentRoot", "applicationName", "http_ports", "https_ports"];

    readonly string[] args;
    readonly RootCommand root;
    readonly CliContext cli;

    CliCommands(string[] args)
    {
        this.args = args;
        cli = new CliContext(Console.Out, Console.Error);
        root = new RootCommand("Purchases. Without a command it runs the web service.")
        {
            TokenCommands.Migrate(cli), TokenCommands.Customers(cli), TokenCommands.Tokens(cli), OutboxCommands.Outbox(cli),
            WorkflowCommands.Workflows(cli), WebhookCommands.Webhooks(cli), KeyRingCommands.KeyRing(cli),
        };
        root.Description += Environment.NewLine + Environment.NewLine + "Every command:" + Environment.NewLine +
                            string.Join(Environment.NewLine, Leaves(root, "").Select(line => "  " + line));
    }

    public static CliCommands For(string[] args) => new(args);

    /// <summary>True when the arguments are only host settings: start the web service with them.</summary>
    public bool RunsWebService => args.Length == 0 || IsHostSettings(args);

    /// <summary>True for <c>--help</c> and <c>--version</c>, and for anything refused: no host is needed to answer.</summary>
    public bool AnswersWithoutServices
    {
        get
        {
            if (RunsWebService) return false;
            var parsed = root.Parse(args);
            return parsed.Errors.Count > 0 || parsed.Action is HelpAction || args is ["--version"];
        }
    }

    /// <summary>Logs go to stderr, so that stdout carries only what a command prints (a token, a table).</summary>
    public void ConfigureLogging(WebApplicationBuilder builder)
    {
        if (RunsWebService) return;
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // EF Core logs failed connections and the migration-history probe of a new database as errors with their
        // details; a command reports its own failure in one line.
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.None);
    }

    public async Task<int> RunAsync(IServiceProvider? services)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var unknown = args[0].StartsWith('-') || root.Subcommands.Any(c => c.Name == args[0]) ? null : args[0];
            // "Unrecognized command or argument 'x'" names the culprit; "Required command was not provided" does not.
            var error = parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal))
                        ?? parsed.Errors[0];
            await Console.Error.WriteLineAsync(unknown is null
                ? $"Usage: {error.Message} See --help."
                : $"Usage: '{unknown}' is not a command. See --help.");
            return 1;
        }
        if (services is null)
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = Console.Out, Error = Console.Error });

        cli.Services = services;
        var embedded = services.GetService<EmbeddedDatabase>();
        try
        {
            if (embedded is not null)
                await services.MigrateDatabaseAsync();
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = Console.Out, Error = Console.Error });
        }
        finally
        {
            embedded?.Stop();
        }
    }

    /// <summary>
    /// Configuration for the host, as ASP.NET reads it: <c>--Key=value</c> (any key), or <c>--Section:Key value</c>
    /// and <c>--urls value</c> (known host settings). A bare word or switch is a command or option, never configuration.
    /// </summary>
    static bool IsHostSettings(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2) return false;
            if (arg.Contains('=')) continue;
            var key = arg[2..];
            if (!key.Contains(':') && !HostSettings.Contains(key, StringComparer.OrdinalIgnoreCase)) return false;
            if (++i >= args.Length) return false;
        }
        return true;
    }

    static IEnumerable<string> Leaves(Command command, string prefix)
    {
        foreach (var sub in command.Subcommands)
        {
            var path = prefix + sub.Name;
            if (sub.Subcommands.Count > 0)
            {
                foreach (var leaf in Leaves(sub, path + " ")) yield return leaf;
                continue;
            }
            var arguments = string.Concat(sub.Arguments.Select(a => $" <{a.Name}>"));
            yield return $"{path + arguments,-34}{sub.Description}";
        }
    }
}
