using System.Net;
using Npgsql;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Health;

public sealed class HealthTests(ApiFactory api) : ApiTest(api)
{
    [Fact]
    public async Task Healthz_answers_without_a_token()
    {
        var response = await Api.ClientWith(null).GetAsync("/healthz", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alive", (await BodyOf(response)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readyz_is_degraded_without_argo_and_shows_the_backlog()
    {
        var token = await Api.AddCustomerAsync("trebolenergia");
        await Api.ClientFor(token).SubmitAsync("trebolenergia");
        await Api.ClientFor(token).SubmitAsync("trebolenergia");
        await Api.ExecuteAsync("UPDATE outbox_entries SET created_at = now() - interval '90 seconds'");

        var response = await Api.ClientWith(null).GetAsync("/readyz", Ct);

        var body = await BodyOf(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("degraded", body.GetProperty("status").GetString());
        Assert.Equal("ok", body.GetProperty("database").GetString());
        Assert.False(body.GetProperty("argo_configured").GetBoolean());
        var outbox = body.GetProperty("outbox");
        Assert.Equal(2, outbox.GetProperty("pending").GetInt32());
        Assert.Equal(0, outbox.GetProperty("failed").GetInt32());
        Assert.InRange(outbox.GetProperty("oldest_pending_age_seconds").GetDouble(), 89, 120);
        Assert.False(body.TryGetProperty("read_replica", out _)); // only with ConnectionStrings:PurchasesRead
    }

    [Fact]
    public async Task Readyz_and_its_gauges_count_what_waits_or_failed_and_the_operators_stats_count_every_entry()
    {
        await Api.InsertAsync(3, "pending", createdAgo: "2 minutes");
        await Api.InsertAsync(2, "failed");
        await Api.InsertAsync(50, "submitted");

        var outbox = (await BodyOf(await Api.ClientWith(null).GetAsync("/readyz", Ct))).GetProperty("outbox");
        var scrape = await PrometheusText.ScrapeUntilAsync(Api.CreateClient(),
            s => PrometheusText.ValueOf(s, "purchases_outbox_entries", "state=\"pending\"") == 3, Ct);
        var operatorToken = await Api.IssueTokenAsync("operator", "alice");
        var stats = await BodyOf(await Api.ClientFor(operatorToken).GetAsync("/api/v0/admin/outbox/stats", Ct));

        Assert.Equal((3, 2), (outbox.GetProperty("pending").GetInt32(), outbox.GetProperty("failed").GetInt32()));
        Assert.InRange(outbox.GetProperty("oldest_pending_age_seconds").GetDouble(), 119, 180);
        Assert.Equal(2, PrometheusText.ValueOf(scrape, "purchases_outbox_entries", "state=\"failed\""));
        // Submitted entries (a week of them at scale) are not counted by the probes: the readiness check reads the
        // partial indexes of pending and failed entries only.
        Assert.Null(PrometheusText.ValueOf(scrape, "purchases_outbox_entries", "state=\"submitted\""));
        Assert.Equal((3, 50, 2), (stats.GetProperty("pending").GetInt32(), stats.GetProperty("submitted").GetInt32(),
            stats.GetProperty("failed").GetInt32()));
    }

    [Fact]
    public async Task Readyz_answers_with_the_last_figures_while_counting_them_waits_and_counts_again_after()
    {
        // An instance of its own: the slow count below spaces out the next ones for a while, which later tests of
        // the shared instance must not inherit.
        await using var service = Api.WithWebHostBuilder(_ => { });
        await Api.InsertAsync(2, "pending", createdAgo: "2 minutes");
        var before = (await BodyOf(await service.CreateClient().GetAsync("/readyz", Ct))).GetProperty("outbox");
        await Api.InsertAsync(1, "pending", createdAgo: "2 minutes");

        // A count held up (here by a lock; in production by millions of entries waiting behind an Argo outage).
        await using (var blocker = new NpgsqlConnection(Api.ConnectionString))
        {
            await blocker.OpenAsync(Ct);
            await using var transaction = await blocker.BeginTransactionAsync(Ct);
            await new NpgsqlCommand("LOCK TABLE outbox_entries IN ACCESS EXCLUSIVE MODE", blocker, transaction).ExecuteNonQueryAsync(Ct);

            // Waiting for the count would wait for the lock: the deadline turns that hang into a failure.
            var response = await service.CreateClient().GetAsync("/readyz", Ct).WaitAsync(TimeSpan.FromSeconds(20), Ct);
            var body = await BodyOf(response);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("ok", body.GetProperty("database").GetString());
            var outbox = body.GetProperty("outbox");
            Assert.Equal(2, outbox.GetProperty("pending").GetInt32());
            Assert.True(outbox.GetProperty("oldest_pending_age_seconds").GetDouble() >=
                before.GetProperty("oldest_pending_age_seconds").GetDouble());
        }

        // The held-up count finishes once the lock is gone, and the next probe shows it.
        var pending = 0;
        for (var tries = 0; tries < 300 && pending != 3; tries++)
        {
            await Task.Delay(100, Ct);
            pending = (await BodyOf(await service.CreateClient().GetAsync("/readyz", Ct))).GetProperty("outbox")
                .GetProperty("pending").GetInt32();
        }
        Assert.Equal(3, pending);
    }
}
