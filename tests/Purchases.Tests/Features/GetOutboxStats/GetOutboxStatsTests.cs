using System.Text.Json;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Features.GetOutboxStats;

public sealed class GetOutboxStatsTests(ApiFactory api) : ApiTest(api)
{
    [Fact]
    public async Task Stats_count_each_state_and_show_the_backlog_age_and_last_submission()
    {
        var client = Api.ClientFor(await Api.IssueTokenAsync("operator", "ops"));
        var empty = await BodyOf(await client.GetAsync("/api/v0/admin/outbox/stats", Ct));
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("last_submitted_at").ValueKind);
        Assert.Equal(0, empty.GetProperty("oldest_pending_age_seconds").GetDouble());

        await Api.InsertAsync(2, state: "pending", attempts: 0, createdAgo: "10 minutes");
        await Api.InsertAsync(3, state: "submitted", attempts: 0);
        await Api.InsertAsync(1, state: "failed");

        var stats = await BodyOf(await client.GetAsync("/api/v0/admin/outbox/stats", Ct));

        Assert.Equal(2, stats.GetProperty("pending").GetInt64());
        Assert.Equal(3, stats.GetProperty("submitted").GetInt64());
        Assert.Equal(1, stats.GetProperty("failed").GetInt64());
        Assert.InRange(stats.GetProperty("oldest_pending_age_seconds").GetDouble(), 599, 660);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", stats.GetProperty("last_submitted_at").GetString());
    }
}
