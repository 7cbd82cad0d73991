using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Abuse;

/// <summary>Tokens are secrets: whatever happens to a request, no log line carries one, valid or not.</summary>
public sealed class TokensInLogsTests(ApiFactory api) : ApiTest(api)
{
    sealed class CapturedLogs : ILoggerProvider
    {
        public readonly ConcurrentQueue<string> Lines = new();
        public ILogger CreateLogger(string category) => new Logger(this, category);
        public void Dispose() { }

        sealed class Logger(CapturedLogs logs, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel level) => true;
            public void Log<TState>(LogLevel level, EventId id, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var structured = state is IEnumerable<KeyValuePair<string, object?>> values
                    ? string.Join(" ", values.Select(v => $"{v.Key}={v.Value}")) : "";
                logs.Lines.Enqueue($"{category} {formatter(state, exception)} {structured} {exception}");
            }
        }
    }

    sealed class LoggingFactory(CapturedLogs logs) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConnectionStrings:Purchases", TestDatabase.Shared.ConnectionString);
            builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        }
    }

    [Fact]
    public async Task No_log_line_contains_a_token_whatever_the_request()
    {
        var customer = await Api.AddCustomerAsync("trebolenergia");
        var worker = await Api.IssueTokenAsync("worker", "argo");
        const string unknown = "pur_this-token-does-not-exist-0123456789abcdefghijk";
        var logs = new CapturedLogs();
        await using (var factory = new LoggingFactory(logs))
        {
            var id = await factory.CreateClient().WithToken(customer).SubmitAsync("trebolenergia");
            foreach (var authorization in new[] { $"Bearer {customer}", $"Bearer {worker}", $"Bearer {unknown}", $"Bearer {customer} extra", $"Token {customer}" })
            {
                var client = factory.CreateClient();
                client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
                await client.GetPurchaseAsync("trebolenergia", id);
                await client.GetPurchaseAsync("someone-else", id);
                await client.PostAsync("/api/v0/user/trebolenergia/submit-purchase?retailer_id=1", Json("not json"), Ct);
                await client.GetAsync("/api/v0/admin/outbox", Ct);
            }
            await CliProcess.RunAsync(Api.ConnectionString, "tokens", "revoke", worker);
        }

        Assert.NotEmpty(logs.Lines);
        Assert.Contains(logs.Lines, l => l.Contains("Invalid token."));
        foreach (var token in new[] { customer, worker, unknown })
            Assert.DoesNotContain(logs.Lines, line => line.Contains(token[4..20]));
    }
}
