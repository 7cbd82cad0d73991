using System.Net;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Cli;

/// <summary>The CLI in the same executable, run as a process: outputs, exit codes, and the tokens it issues.</summary>
public sealed class CliTests(ApiFactory api) : ApiTest(api)
{
    const string Body = """{"purchase": [{"datetime": "2025-11-11 00:15", "purchase": 12.0}]}""";

    Task<CliResult> Run(params string[] args) => CliProcess.RunAsync(Api.ConnectionString, args);

    Task<HttpResponseMessage> SubmitAs(string token, string user) =>
        Api.ClientFor(token).PostAsync($"/api/v0/user/{user}/submit-purchase?retailer_id=1", Json(Body), Ct);

    [Fact]
    public async Task Migrate_succeeds_on_a_migrated_database()
    {
        var result = await Run("migrate");

        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task Customers_add_prints_only_a_working_token()
    {
        var result = await Run("customers", "add", "acme");

        Assert.Equal(0, result.ExitCode);
        var token = Assert.Single(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches("^pur_[A-Za-z0-9_-]{43}$", token);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAs(token, "acme")).StatusCode);
        Assert.Equal(1L, await Api.ScalarAsync<long>("SELECT count(*) FROM customers WHERE \"user\" = 'acme'"));
    }

    [Fact]
    public async Task Customers_add_for_an_existing_user_fails_with_one_line()
    {
        await Api.AddCustomerAsync("acme");

        var result = await Run("customers", "add", "acme");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal("Customer 'acme' already exists.", result.Stderr.Trim());
    }

    [Fact]
    public async Task Tokens_issue_gives_a_customer_a_second_token_and_both_work()
    {
        var first = await Api.AddCustomerAsync("acme");

        var result = await Run("tokens", "issue", "acme");

        Assert.Equal(0, result.ExitCode);
        var second = result.Stdout.Trim();
        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAs(first, "acme")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAs(second, "acme")).StatusCode);
    }

    [Fact]
    public async Task Tokens_issue_for_an_unknown_customer_fails()
    {
        var result = await Run("tokens", "issue", "nobody");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Customer 'nobody' does not exist.", result.Stderr.Trim());
    }

    [Theory]
    [InlineData("worker", HttpStatusCode.Forbidden)]
    [InlineData("operator", HttpStatusCode.Created)]
    public async Task Tokens_issue_with_a_role_gives_that_role(string role, HttpStatusCode submitStatus)
    {
        var result = await Run("tokens", "issue", "--role", role, "argo-1");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(submitStatus, (await SubmitAs(result.Stdout.Trim(), "acme")).StatusCode);
        Assert.Equal($"{role}|argo-1", await Api.ScalarAsync<string>("SELECT role || '|' || name FROM api_tokens"));
    }

    [Fact]
    public async Task Tokens_issue_with_an_unknown_role_fails()
    {
        var result = await Run("tokens", "issue", "--role", "admin", "x");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Role must be worker or operator, not 'admin'.", result.Stderr.Trim());
        Assert.Equal(0L, await Api.ScalarAsync<long>("SELECT count(*) FROM api_tokens"));
    }

    [Fact]
    public async Task Tokens_revoke_stops_the_token_at_once_and_a_second_revoke_fails()
    {
        var token = await Api.AddCustomerAsync("acme");

        var revoked = await Run("tokens", "revoke", token);
        var again = await Run("tokens", "revoke", token);

        Assert.Equal(0, revoked.ExitCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SubmitAs(token, "acme")).StatusCode);
        Assert.Equal(1, again.ExitCode);
        Assert.Equal("No active token matches.", again.Stderr.Trim());
    }

    [Theory]
    [InlineData("customers")]
    [InlineData("customers", "add")]
    [InlineData("tokens", "issue", "--role", "worker")]
    [InlineData("tokens", "frobnicate", "x")]
    public async Task A_malformed_command_fails_with_usage_on_one_line(params string[] args)
    {
        var result = await Run(args);

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Usage:", result.Stderr);
    }
}
