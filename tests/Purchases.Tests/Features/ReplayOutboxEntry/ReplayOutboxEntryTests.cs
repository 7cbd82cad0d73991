using System.Net;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Features.ReplayOutboxEntry;

public sealed class ReplayOutboxEntryTests(ApiFactory api) : ApiTest(api)
{
    HttpClient _operator = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _operator = Api.ClientFor(await Api.IssueTokenAsync("operator", "night-shift"));
    }

    Task<Guid> EntryIn(string state) =>
        Api.ScalarAsync<Guid>("SELECT id FROM outbox_entries WHERE state = $1 LIMIT 1", state);

    [Theory]
    [InlineData("failed")]
    [InlineData("pending")]
    public async Task A_failed_or_pending_entry_goes_back_to_pending_due_now_with_an_audit(string state)
    {
        await Api.InsertAsync(1, state: state, lastError: "HTTP 500: boom", attempts: 7);
        var id = await EntryIn(state);
        await Api.ExecuteAsync("UPDATE outbox_entries SET next_attempt_at = now() + interval '1 hour', locked_by = 'x', locked_until = now() + interval '1 hour'");

        var response = await _operator.PostAsync($"/api/v0/admin/outbox/{id}/replay", null, Ct);

        var body = await BodyOf(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(id.ToString(), body.GetProperty("id").GetString());
        Assert.Equal("pending", body.GetProperty("state").GetString());
        Assert.Equal($"Outbox entry {id} queued for replay.", body.GetProperty("message").GetString());
        Assert.Equal("pending|0|1|night-shift|HTTP 500: boom|t|t", await Api.ScalarAsync<string>("""
            SELECT concat_ws('|', state, attempts, replay_count, last_replayed_by, last_error,
                             next_attempt_at <= now(), locked_by IS NULL AND locked_until IS NULL)
            FROM outbox_entries WHERE id = $1
            """, id));
    }

    [Fact]
    public async Task A_submitted_entry_is_refused_with_409()
    {
        await Api.InsertAsync(1, state: "submitted", attempts: 0, lastError: null);
        var id = await EntryIn("submitted");

        await AssertError(await _operator.PostAsync($"/api/v0/admin/outbox/{id}/replay", null, Ct), 409, "Outbox entry is already submitted.");
        Assert.Equal(0, await Api.ScalarAsync<int>("SELECT replay_count FROM outbox_entries WHERE id = $1", id));
    }

    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("not-an-id")]
    public async Task An_unknown_entry_is_404(string id) =>
        await AssertError(await _operator.PostAsync($"/api/v0/admin/outbox/{id}/replay", null, Ct), 404, "Outbox entry not found.");
}
