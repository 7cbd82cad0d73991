using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Webhooks;

/// <summary>
/// Deliveries to a real receiver in the test process: written with the status change, signed, sent at least once
/// through the outbox's retries, received exactly once after deduplication by <c>webhook-id</c>.
/// </summary>
public sealed class WebhookDeliveryTests(ApiFactory api, WebhookApiFactory service)
    : ApiTest(api), IClassFixture<WebhookApiFactory>, IAsyncLifetime
{
    const string Completed = """{"outputs": {"idmodel": 7}, "status": "completed", "error": ""}""";
    const string InProgress = """{"outputs": {}, "status": "in_progress", "error": ""}""";
    string _customer = "", _worker = "";
    readonly List<WebhookReceiver> _receivers = [];

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        service.Argo.Reset();
        _customer = await Api.AddCustomerAsync("trebolenergia");
        _worker = await Api.IssueTokenAsync("worker", "argo");
    }

    async Task<WebhookReceiver> ReceiverAsync(bool running = true)
    {
        var receiver = running ? await WebhookReceiver.RunningAsync() : new WebhookReceiver();
        _receivers.Add(receiver);
        return receiver;
    }

    async Task<(Guid Id, string Secret)> RegisterAsync(string url, string events = """["purchase.completed"]""",
        string user = "trebolenergia", string? token = null)
    {
        var response = await service.CreateClient().WithToken(token ?? _customer)
            .PostAsync($"/api/v0/user/{user}/webhooks", Json($$"""{"url": "{{url}}", "events": {{events}}}"""), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await BodyOf(response);
        return (body.GetProperty("id").GetGuid(), body.GetProperty("secret").GetString()!);
    }

    async Task<Guid> SubmittedAsync()
    {
        var (id, _) = await new WorkflowScenarios(Api, service, _customer).SubmittedAsync();
        return id;
    }

    async Task ReportAsync(Guid id, string body) => Assert.Equal(HttpStatusCode.OK,
        (await service.CreateClient().WithToken(_worker).UpdateAsync("trebolenergia", id, body)).StatusCode);

    Task<long> DeliveriesAsync(string state) => Api.ScalarAsync<long>(
        "SELECT count(*) FROM outbox_entries WHERE kind = 'webhook.delivery' AND state = $1", state);

    /// <summary>Drains (after moving the clock by <paramref name="after"/>) until no delivery is pending.</summary>
    async Task AllDeliveredAsync(TimeSpan? after = null)
    {
        if (after is { } by) await service.AdvanceAndDrainAsync(by);
        var waited = Stopwatch.StartNew();
        while (await DeliveriesAsync("pending") > 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(15), "deliveries stayed pending");
            await service.DrainAsync();
            await Task.Delay(20, Ct);
        }
    }

    /// <summary>Drains until every pending delivery was tried at least once more than <paramref name="attempts"/>.</summary>
    async Task AttemptedAsync(int attempts)
    {
        var waited = Stopwatch.StartNew();
        while (await Api.ScalarAsync<long>(
                   "SELECT count(*) FROM outbox_entries WHERE kind = 'webhook.delivery' AND state = 'pending' AND attempts <= $1", attempts) > 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(15), "deliveries were not attempted");
            await service.DrainAsync();
            await Task.Delay(20, Ct);
        }
    }

    [Fact]
    public async Task Every_status_change_is_delivered_signed_to_the_endpoints_subscribed_to_it()
    {
        var receiver = await ReceiverAsync();
        var onlyFailures = await ReceiverAsync();
        var (_, secret) = await RegisterAsync(receiver.Url, """["purchase.completed", "purchase.status_changed"]""");
        await RegisterAsync(onlyFailures.Url, """["purchase.failed"]""");
        var otherCustomer = await Api.AddCustomerAsync("otherretailer");
        var othersReceiver = await ReceiverAsync();
        await RegisterAsync(othersReceiver.Url, """["purchase.completed", "purchase.status_changed"]""", "otherretailer", otherCustomer);
        var id = await SubmittedAsync();

        await ReportAsync(id, InProgress);
        await ReportAsync(id, Completed);
        await ReportAsync(id, Completed); // no change of status: no event
        await AllDeliveredAsync();

        Assert.Equal(3, await DeliveriesAsync("submitted"));
        Assert.Empty(onlyFailures.Requests);
        Assert.Empty(othersReceiver.Requests);
        var events = receiver.Accepted.Values.Select(r => (Request: r, Body: JsonDocument.Parse(r.Body).RootElement)).ToList();
        Assert.Equal(3, events.Count);
        Assert.Equal(["purchase.completed", "purchase.status_changed:completed", "purchase.status_changed:in_progress"],
            events.Select(e => e.Body.GetProperty("type").GetString() is "purchase.status_changed" and var t
                ? $"{t}:{e.Body.GetProperty("data").GetProperty("status").GetString()}" : e.Body.GetProperty("type").GetString()).Order());
        foreach (var (request, body) in events)
        {
            Assert.True(WebhookVerifier.Verifies(secret, request.Id, request.Timestamp, request.Body, request.Signature), request.Signature);
            var now = service.Clock.GetCurrentInstant().ToUnixTimeSeconds(); // the service's clock, which tests move
            Assert.InRange(long.Parse(request.Timestamp), now - 60, now);
            Assert.True(await Api.ScalarAsync<bool>(
                "SELECT EXISTS (SELECT 1 FROM outbox_entries WHERE id = $1::uuid AND kind = 'webhook.delivery')", request.Id));
        }
        var completed = events.Single(e => e.Body.GetProperty("type").GetString() == "purchase.completed").Body;
        var data = completed.GetProperty("data");
        Assert.Equal(id, data.GetProperty("purchase_id").GetGuid());
        Assert.Equal("trebolenergia", data.GetProperty("user").GetString());
        Assert.Equal("123", data.GetProperty("retailer_id").GetString());
        Assert.Equal("completed", data.GetProperty("status").GetString());
        Assert.Equal("in_progress", data.GetProperty("previous_status").GetString());
        Assert.Equal(JsonValueKind.Null, data.GetProperty("error").ValueKind);
        Assert.Equal($"{WebhookApiFactory.PublicBaseUrl}/api/v0/user/trebolenergia/purchase/{id}/get", data.GetProperty("url").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", completed.GetProperty("timestamp").GetString()!);
        Assert.Equal(completed.GetProperty("timestamp").GetString(), data.GetProperty("updated_at").GetString());
    }

    [Fact]
    public async Task A_receiver_that_is_down_gets_the_event_once_when_it_is_back()
    {
        var receiver = await ReceiverAsync(running: false);
        await RegisterAsync(receiver.Url);
        var id = await SubmittedAsync();

        await ReportAsync(id, Completed);
        await AttemptedAsync(0);

        var failure = await Api.ScalarAsync<string>(
            "SELECT concat_ws('|', state, attempts, last_error) FROM outbox_entries WHERE kind = 'webhook.delivery'");
        Assert.StartsWith("pending|1|", failure);
        Assert.Contains("refused", failure, StringComparison.OrdinalIgnoreCase);

        await receiver.StartAsync();
        await AllDeliveredAsync(after: TimeSpan.FromMinutes(11));

        var received = Assert.Single(receiver.Accepted.Values);
        Assert.Equal("purchase.completed", JsonDocument.Parse(received.Body).RootElement.GetProperty("type").GetString());
        Assert.Equal(1, await DeliveriesAsync("submitted"));
    }

    [Fact]
    public async Task A_receiver_answering_500_is_retried_with_the_same_webhook_id_and_only_an_excerpt_is_kept()
    {
        var receiver = await ReceiverAsync();
        receiver.Status = 500;
        receiver.AnswerBody = "upstream exploded " + new string('x', 5000);
        await RegisterAsync(receiver.Url);
        var id = await SubmittedAsync();

        await ReportAsync(id, Completed);
        await AttemptedAsync(0);

        var (status, error) = (await Api.ScalarAsync<int>("SELECT last_status FROM outbox_entries WHERE kind = 'webhook.delivery'"),
            await Api.ScalarAsync<string>("SELECT last_error FROM outbox_entries WHERE kind = 'webhook.delivery'"));
        Assert.Equal(500, status);
        Assert.StartsWith("HTTP 500: upstream exploded xxx", error);
        Assert.True(error.Length <= "HTTP 500: ".Length + 500, $"{error.Length} characters kept");

        receiver.Status = 200;
        await AllDeliveredAsync(after: TimeSpan.FromMinutes(11));

        Assert.Single(receiver.Accepted);
        Assert.True(receiver.Requests.Count >= 2);
        Assert.Single(receiver.Requests.Select(r => r.Id).Distinct());
    }

    [Fact]
    public async Task A_redirect_is_not_followed_it_is_a_failed_attempt()
    {
        var elsewhere = await ReceiverAsync();
        var receiver = await ReceiverAsync();
        receiver.Status = 307;
        receiver.Location = elsewhere.Url;
        await RegisterAsync(receiver.Url);
        var id = await SubmittedAsync();

        await ReportAsync(id, Completed);
        await AttemptedAsync(0);

        Assert.Single(receiver.Requests);
        Assert.Empty(elsewhere.Requests);
        Assert.Equal("pending|307", await Api.ScalarAsync<string>(
            "SELECT concat_ws('|', state, last_status) FROM outbox_entries WHERE kind = 'webhook.delivery'"));
    }

    [Fact]
    public async Task A_receiver_answering_429_is_retried_after_its_Retry_After()
    {
        var receiver = await ReceiverAsync();
        receiver.Status = 429;
        receiver.RetryAfter = "120";
        await RegisterAsync(receiver.Url);
        var id = await SubmittedAsync();

        await ReportAsync(id, Completed);
        await AttemptedAsync(0);

        var wait = await Api.ScalarAsync<double>(
            "SELECT extract(epoch FROM next_attempt_at - updated_at)::float8 FROM outbox_entries WHERE kind = 'webhook.delivery'");
        Assert.InRange(wait, 120, 121);
        Assert.Equal(429, await Api.ScalarAsync<int>("SELECT last_status FROM outbox_entries WHERE kind = 'webhook.delivery'"));

        receiver.Status = 200;
        receiver.RetryAfter = null;
        await service.AdvanceAndDrainAsync(TimeSpan.FromSeconds(60));
        Assert.Empty(receiver.Accepted); // not before Retry-After
        await AllDeliveredAsync(after: TimeSpan.FromSeconds(61));
        Assert.Single(receiver.Accepted);
    }

    [Fact]
    public async Task A_receiver_slower_than_the_timeout_is_retried_and_deduplication_leaves_one_event()
    {
        var receiver = await ReceiverAsync();
        receiver.Delay = TimeSpan.FromSeconds(2);
        await RegisterAsync(receiver.Url);
        var id = await SubmittedAsync();

        await ReportAsync(id, Completed);
        await AttemptedAsync(0);
        Assert.Equal("timeout after 1s",
            await Api.ScalarAsync<string>("SELECT last_error FROM outbox_entries WHERE kind = 'webhook.delivery'"));

        receiver.Delay = TimeSpan.Zero;
        await AllDeliveredAsync(after: TimeSpan.FromMinutes(11));
        await Task.Delay(TimeSpan.FromSeconds(2), Ct); // the slow request finishes too: at least once on the wire

        Assert.Equal(2, receiver.Requests.Count);
        Assert.Single(receiver.Accepted);
        Assert.Single(receiver.Requests.Select(r => r.Id).Distinct());
    }

    [Fact]
    public async Task After_max_attempts_a_delivery_fails_and_an_operator_can_find_and_replay_it()
    {
        var receiver = await ReceiverAsync();
        receiver.Status = 503;
        var (endpoint, _) = await RegisterAsync(receiver.Url);
        var id = await SubmittedAsync();
        await ReportAsync(id, Completed);
        for (var attempt = 0; attempt < 4; attempt++)
        {
            await AttemptedAsync(attempt);
            if (attempt < 3) await service.AdvanceAndDrainAsync(TimeSpan.FromMinutes(11));
        }
        Assert.Equal(1, await DeliveriesAsync("failed"));

        var operatorClient = service.CreateClient().WithToken(await Api.IssueTokenAsync("operator", "ops"));
        var list = await BodyOf(await operatorClient.GetAsync("/api/v0/admin/outbox?kind=webhook.delivery&state=failed", Ct));
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal("webhook.delivery", item.GetProperty("kind").GetString());
        Assert.Equal(endpoint, item.GetProperty("webhook_endpoint_id").GetGuid());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("workflow_name").ValueKind);
        Assert.Equal(4, item.GetProperty("attempts").GetInt32());
        Assert.Equal(503, item.GetProperty("last_status").GetInt32());
        Assert.Single((await BodyOf(await operatorClient.GetAsync("/api/v0/admin/outbox?kind=argo.workflow.create", Ct)))
            .GetProperty("items").EnumerateArray());
        var stats = (await BodyOf(await operatorClient.GetAsync("/api/v0/admin/outbox/stats", Ct))).GetProperty("by_kind");
        Assert.Equal(1, stats.GetProperty("webhook.delivery").GetProperty("failed").GetInt64());
        Assert.Equal(0, stats.GetProperty("webhook.delivery").GetProperty("submitted").GetInt64());
        Assert.Equal(1, stats.GetProperty("argo.workflow.create").GetProperty("submitted").GetInt64());
        await AssertError(await operatorClient.GetAsync("/api/v0/admin/outbox?kind=email", Ct), 400,
            "Query parameter \"kind\" must be one of: argo.workflow.create, webhook.delivery.");

        receiver.Status = 200;
        var entry = item.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsync($"/api/v0/admin/outbox/{entry}/replay", null, Ct)).StatusCode);
        await AllDeliveredAsync();
        Assert.Equal(entry.ToString(), Assert.Single(receiver.Accepted.Values).Id);
    }

    [Fact]
    public async Task During_a_rotation_deliveries_verify_with_the_new_and_the_old_secret()
    {
        var receiver = await ReceiverAsync();
        var (endpoint, oldSecret) = await RegisterAsync(receiver.Url);
        var rotated = await BodyOf(await service.CreateClient().WithToken(_customer)
            .PostAsync($"/api/v0/user/trebolenergia/webhooks/{endpoint}/rotate-secret", null, Ct));
        var newSecret = rotated.GetProperty("secret").GetString()!;
        var id = await SubmittedAsync();

        await ReportAsync(id, Completed);
        await AllDeliveredAsync();

        var received = Assert.Single(receiver.Accepted.Values);
        Assert.Equal(2, received.Signature.Split(' ').Length);
        Assert.True(WebhookVerifier.Verifies(newSecret, received.Id, received.Timestamp, received.Body, received.Signature));
        Assert.True(WebhookVerifier.Verifies(oldSecret, received.Id, received.Timestamp, received.Body, received.Signature));
        Assert.False(WebhookVerifier.Verifies(WebhookVerifierTestSecret, received.Id, received.Timestamp, received.Body, received.Signature));

        // After the grace period only the new secret signs.
        await Api.ExecuteAsync("UPDATE webhook_endpoints SET previous_secret_expires_at = now() - interval '1 second'");
        var second = await SubmittedAsync();
        await ReportAsync(second, Completed);
        await AllDeliveredAsync();
        var later = receiver.Accepted.Values.Single(r => r.Id != received.Id);
        Assert.Single(later.Signature.Split(' '));
        Assert.True(WebhookVerifier.Verifies(newSecret, later.Id, later.Timestamp, later.Body, later.Signature));
        Assert.False(WebhookVerifier.Verifies(oldSecret, later.Id, later.Timestamp, later.Body, later.Signature));
    }

    const string WebhookVerifierTestSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    [Fact]
    public async Task A_removed_endpoint_gets_nothing_more()
    {
        var receiver = await ReceiverAsync(running: false);
        var (endpoint, _) = await RegisterAsync(receiver.Url);
        var id = await SubmittedAsync();
        await ReportAsync(id, Completed);
        await AttemptedAsync(0);

        Assert.Equal(HttpStatusCode.NoContent, (await service.CreateClient().WithToken(_customer)
            .DeleteAsync($"/api/v0/user/trebolenergia/webhooks/{endpoint}", Ct)).StatusCode);
        await receiver.StartAsync();
        await service.AdvanceAndDrainAsync(TimeSpan.FromMinutes(11));

        Assert.Empty(receiver.Requests);
        Assert.Equal("failed|the webhook endpoint was removed", await Api.ScalarAsync<string>(
            "SELECT concat_ws('|', state, last_error) FROM outbox_entries WHERE kind = 'webhook.delivery'"));
    }

    [Fact]
    public async Task A_purchase_the_reconciler_fails_is_a_purchase_failed_event_in_the_purchases_trace()
    {
        var receiver = await ReceiverAsync();
        var (_, secret) = await RegisterAsync(receiver.Url, """["purchase.failed"]""");
        var (id, _) = await new WorkflowScenarios(Api, service, _customer).FailedAsync();

        await AllDeliveredAsync();

        var received = Assert.Single(receiver.Accepted.Values);
        Assert.True(WebhookVerifier.Verifies(secret, received.Id, received.Timestamp, received.Body, received.Signature));
        var data = JsonDocument.Parse(received.Body).RootElement.GetProperty("data");
        Assert.Equal(id, data.GetProperty("purchase_id").GetGuid());
        Assert.Equal("failed", data.GetProperty("status").GetString());
        Assert.Equal("pending", data.GetProperty("previous_status").GetString());
        Assert.Contains("Error (exit code 1)", data.GetProperty("error").GetString());
        var purchaseTrace = (await Api.ScalarAsync<string>(
            "SELECT trace_parent FROM outbox_entries WHERE purchase_id = $1 AND kind = 'argo.workflow.create'", id)).Split('-')[1];
        Assert.Equal(purchaseTrace, (await Api.ScalarAsync<string>(
            "SELECT trace_parent FROM outbox_entries WHERE purchase_id = $1 AND kind = 'webhook.delivery'", id)).Split('-')[1]);
    }

    public new async ValueTask DisposeAsync()
    {
        foreach (var receiver in _receivers) await receiver.DisposeAsync();
    }
}
