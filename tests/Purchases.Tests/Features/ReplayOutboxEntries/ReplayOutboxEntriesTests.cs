using System.Net;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Features.ReplayOutboxEntries;

public sealed class ReplayOutboxEntriesTests(ApiFactory api) : ApiTest(api)
{
    HttpClient _operator = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _operator = Api.ClientFor(await Api.IssueTokenAsync("operator", "ops"));
    }

    async Task<long> Replay(string query = "?state=failed")
    {
        var response = await _operator.PostAsync($"/api/v0/admin/outbox/replay{query}", null, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await BodyOf(response)).GetProperty("replayed").GetInt64();
    }

    [Fact]
    public async Task Ten_thousand_failed_entries_are_replayed_at_once_and_a_drainer_never_sees_one_half_reset()
    {
        await Api.InsertAsync(10_000);
        using var stop = new CancellationTokenSource();
        // What a drainer's claim reads: pending rows must never show a failed row's attempts.
        var observer = Task.Run(async () =>
        {
            long halfReset = 0, observations = 0;
            while (!stop.IsCancellationRequested)
            {
                halfReset += await Api.ScalarAsync<long>(
                    "SELECT count(*) FROM outbox_entries WHERE (state = 'pending') <> (attempts = 0 AND replay_count = 1)");
                observations++;
            }
            return (halfReset, observations);
        });

        var replayed = await Replay();
        await Task.Delay(100, Ct);
        await stop.CancelAsync();
        var (halfResetSeen, looks) = await observer;

        Assert.Equal(10_000, replayed);
        Assert.Equal(0, halfResetSeen);
        Assert.True(looks > 1);
        Assert.Equal(10_000L, await Api.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_entries WHERE state = 'pending' AND attempts = 0 AND replay_count = 1 AND last_replayed_by = 'ops'"));
        Assert.Equal(0, await Replay());
    }

    [Fact]
    public async Task The_list_filters_narrow_a_replay_and_a_dry_run_only_counts()
    {
        await Api.InsertAsync(3, user: "alpha", lastError: "HTTP 404: template not found");
        await Api.InsertAsync(2, user: "beta", lastError: "timeout after 10s");
        await Api.InsertAsync(4, state: "submitted", user: "alpha", attempts: 0, lastError: null);

        var dry = await BodyOf(await _operator.PostAsync("/api/v0/admin/outbox/replay?user=alpha&dry_run=true", null, Ct));
        Assert.Equal(0, dry.GetProperty("replayed").GetInt64());
        Assert.Equal(3, dry.GetProperty("would_replay").GetInt64());
        Assert.Equal(5L, await Api.ScalarAsync<long>("SELECT count(*) FROM outbox_entries WHERE state = 'failed'"));

        Assert.Equal(2, await Replay("?error_contains=timeout"));
        Assert.Equal(3, await Replay());
        Assert.Equal(4L, await Api.ScalarAsync<long>("SELECT count(*) FROM outbox_entries WHERE state = 'submitted' AND replay_count = 0"));
    }

    [Fact]
    public async Task Submitted_entries_cannot_be_bulk_replayed() =>
        await AssertError(await _operator.PostAsync("/api/v0/admin/outbox/replay?state=submitted", null, Ct), 400,
            "Submitted entries cannot be replayed: they have their workflow already.");
}
