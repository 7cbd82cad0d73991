using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Cli;

/// <summary>
/// What the executable refuses before it starts anything: unknown commands and options are one line on stderr and
/// exit 1, and <c>--help</c> lists every command. No database is given, so nothing here can have started a service.
/// </summary>
public sealed class CliRefusalTests
{
    static readonly Dictionary<string, string?> NoDatabase = new() { ["ConnectionStrings__Purchases"] = null };

    static Task<CliResult> Run(params string[] args) => CliProcess.RunAsync(NoDatabase, args);

    static void AssertOneLineRefusal(CliResult result, string expected)
    {
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal(expected, Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public async Task An_unknown_command_is_refused_with_its_name_and_a_pointer_to_help() =>
        AssertOneLineRefusal(await Run("frobnicate"), "Usage: 'frobnicate' is not a command. See --help.");

    [Fact]
    public async Task An_unknown_command_with_arguments_is_refused_too() =>
        AssertOneLineRefusal(await Run("frobnicate", "--all", "x"), "Usage: 'frobnicate' is not a command. See --help.");

    [Fact]
    public async Task An_unknown_top_level_option_is_refused_with_its_name() =>
        AssertOneLineRefusal(await Run("--frobnicate"), "Usage: Unrecognized command or argument '--frobnicate'. See --help.");

    [Fact]
    public async Task An_unknown_subcommand_is_refused_with_its_name() =>
        AssertOneLineRefusal(await Run("outbox", "lst"), "Usage: Unrecognized command or argument 'lst'. See --help.");

    [Fact]
    public async Task An_unknown_option_of_a_command_is_refused_with_its_name() =>
        AssertOneLineRefusal(await Run("outbox", "list", "--frob", "1"), "Usage: Unrecognized command or argument '--frob'. See --help.");

    [Fact]
    public async Task Help_lists_every_command_and_exits_0()
    {
        var result = await Run("--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[]
                 {
                     "migrate", "customers add <user>", "tokens issue <user-or-name>", "tokens revoke <token>",
                     "outbox list", "outbox stats", "outbox replay <id>", "workflows retry <purchase-id>",
                 })
            Assert.Matches($@"(?m)^\s+{System.Text.RegularExpressions.Regex.Escape(command)}\s{{2,}}\S", result.Stdout);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public async Task Help_of_a_command_shows_its_options()
    {
        var result = await Run("outbox", "list", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--error-contains", result.Stdout);
        Assert.Contains("--cursor", result.Stdout);
    }
}
