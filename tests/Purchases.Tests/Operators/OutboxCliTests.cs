using System.Text.Json;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Operators;

/// <summary>The CLI runs the same slices as the admin API: same answers, same rules.</summary>
public sealed class OutboxCliTests(ApiFactory api) : ApiTest(api)
{
    HttpClient _operator = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _operator = Api.ClientFor(await Api.IssueTokenAsync("operator", "ops"));
    }

    Task<CliResult> Run(params string[] args) => CliProcess.RunAsync(Api.ConnectionString, args);

    static void AssertSameJson(string expected, string actual) =>
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(expected).RootElement, JsonDocument.Parse(actual).RootElement),
            $"API: {expected}\nCLI: {actual}");

    [Fact]
    public async Task List_json_is_the_admin_apis_answer_page_by_page()
    {
        await Api.InsertAsync(3, user: "alpha");
        await Api.InsertAsync(2, state: "submitted", attempts: 0, lastError: null);

        var api = await _operator.GetStringAsync("/api/v0/admin/outbox?state=failed&limit=2", Ct);
        var cli = await Run("outbox", "list", "--state", "failed", "--limit", "2", "--json");
        var cursor = JsonDocument.Parse(api).RootElement.GetProperty("next_cursor").GetString()!;
        var apiNext = await _operator.GetStringAsync($"/api/v0/admin/outbox?state=failed&limit=2&cursor={cursor}", Ct);
        var cliNext = await Run("outbox", "list", "--state", "failed", "--limit", "2", "--cursor", cursor, "--json");

        Assert.Equal(0, cli.ExitCode);
        AssertSameJson(api, cli.Stdout);
        AssertSameJson(apiNext, cliNext.Stdout);
    }

    [Fact]
    public async Task List_prints_a_table_by_default()
    {
        await Api.InsertAsync(2, user: "alpha", lastError: "HTTP 500: boom");

        var result = await Run("outbox", "list");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Trim().Split('\n');
        Assert.StartsWith("ID", lines[0]);
        Assert.Equal(2, lines.Count(l => l.Contains("failed") && l.Contains("alpha") && l.Contains("HTTP 500: boom")));
        Assert.Equal("2 entries.", lines[^1]);
    }

    [Fact]
    public async Task Stats_json_is_the_admin_apis_answer()
    {
        await Api.InsertAsync(2, state: "submitted", attempts: 0, lastError: null);
        await Api.InsertAsync(1);

        var result = await Run("outbox", "stats", "--json");

        Assert.Equal(0, result.ExitCode);
        AssertSameJson(await _operator.GetStringAsync("/api/v0/admin/outbox/stats", Ct), result.Stdout);
    }

    [Fact]
    public async Task Replay_by_id_audits_the_cli_and_refuses_what_the_api_refuses()
    {
        await Api.InsertAsync(1);
        await Api.InsertAsync(1, state: "submitted", attempts: 0, lastError: null);
        var failed = await Api.ScalarAsync<Guid>("SELECT id FROM outbox_entries WHERE state = 'failed'");
        var submitted = await Api.ScalarAsync<Guid>("SELECT id FROM outbox_entries WHERE state = 'submitted'");

        var ok = await Run("outbox", "replay", failed.ToString());
        var refused = await Run("outbox", "replay", submitted.ToString());
        var unknown = await Run("outbox", "replay", Guid.Empty.ToString());

        Assert.Equal(0, ok.ExitCode);
        Assert.Equal($"Outbox entry {failed} queued for replay.", ok.Stdout.Trim());
        Assert.Equal($"pending|0|cli:{Environment.UserName}", await Api.ScalarAsync<string>(
            "SELECT concat_ws('|', state, attempts, last_replayed_by) FROM outbox_entries WHERE id = $1", failed));
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal($"{submitted}: Outbox entry is already submitted.", refused.Stderr.Trim());
        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal($"{Guid.Empty}: Outbox entry not found.", unknown.Stderr.Trim());
    }

    [Fact]
    public async Task Replay_all_failed_with_a_dry_run_counts_and_then_replays_once()
    {
        await Api.InsertAsync(4);

        var dry = await Run("outbox", "replay", "--all-failed", "--dry-run");
        var real = await Run("outbox", "replay", "--all-failed", "--json");
        var again = await Run("outbox", "replay", "--all-failed");

        Assert.Equal("4 entries would be replayed.", dry.Stdout.Trim());
        AssertSameJson("""{"replayed": 4}""", real.Stdout);
        Assert.Equal("0 entries replayed.", again.Stdout.Trim());
        Assert.Equal(4L, await Api.ScalarAsync<long>("SELECT count(*) FROM outbox_entries WHERE state = 'pending'"));
    }

    [Theory]
    [InlineData("outbox", "replay")]
    [InlineData("outbox", "list", "--state", "done")]
    [InlineData("outbox", "list", "--limit", "0")]
    public async Task Bad_operator_commands_fail_with_one_line(params string[] args)
    {
        var result = await Run(args);

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
