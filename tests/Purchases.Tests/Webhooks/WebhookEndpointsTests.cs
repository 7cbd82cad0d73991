using System.Net;
using System.Text.Json;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Webhooks;

/// <summary>
/// Registering, listing, rotating and removing webhook endpoints through the API, with the default settings: https
/// only, public addresses only (an IP literal keeps DNS out of the tests).
/// </summary>
public sealed class WebhookEndpointsTests(ApiFactory api) : ApiTest(api)
{
    const string PublicUrl = "https://93.184.215.14/hooks/purchases";
    string _token = "";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _token = await Api.AddCustomerAsync("trebolenergia");
    }

    HttpClient Client => Api.ClientFor(_token);

    Task<HttpResponseMessage> RegisterAsync(string body, string user = "trebolenergia", HttpClient? client = null) =>
        (client ?? Client).PostAsync($"/api/v0/user/{user}/webhooks", Json(body), Ct);

    async Task<JsonElement> RegisteredAsync(string events = """["purchase.completed", "purchase.failed"]""")
    {
        var response = await RegisterAsync($$"""{"url": "{{PublicUrl}}", "events": {{events}}}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await BodyOf(response);
    }

    Task<long> EndpointCountAsync() => Api.ScalarAsync<long>("SELECT count(*) FROM webhook_endpoints");

    [Fact]
    public async Task Registering_shows_the_secret_once_and_stores_it_only_encrypted()
    {
        var response = await RegisterAsync($$"""{"url": "{{PublicUrl}}", "events": ["purchase.failed", "purchase.completed"]}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await BodyOf(response);
        var id = body.GetProperty("id").GetGuid();
        var secret = body.GetProperty("secret").GetString()!;
        Assert.Matches("^whsec_[A-Za-z0-9+/]{43}=$", secret);
        Assert.Equal(PublicUrl, body.GetProperty("url").GetString());
        Assert.Equal(["purchase.completed", "purchase.failed"], body.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal($"Webhook endpoint {id} registered. Keep its secret now: it is not shown again.",
            body.GetProperty("message").GetString());

        var stored = await Api.ScalarAsync<string>("SELECT protected_secret FROM webhook_endpoints WHERE id = $1", id);
        Assert.DoesNotContain(secret["whsec_".Length..], stored);
        Assert.Equal("trebolenergia", await Api.ScalarAsync<string>("SELECT \"user\" FROM webhook_endpoints WHERE id = $1", id));

        var list = await BodyOf(await Client.GetAsync("/api/v0/user/trebolenergia/webhooks", Ct));
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(id, item.GetProperty("id").GetGuid());
        Assert.False(item.TryGetProperty("secret", out _));
        Assert.DoesNotContain(secret, list.GetRawText());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("previous_secret_expires_at").ValueKind);
    }

    [Theory]
    [InlineData("http://93.184.215.14/hooks", "Webhook \"url\" must use https.")]
    [InlineData("https://127.0.0.1/hooks", "Webhook \"url\" must reach a public address; \"127.0.0.1\" is 127.0.0.1 (loopback, private and link-local addresses are refused).")]
    [InlineData("https://10.0.0.7/hooks", "Webhook \"url\" must reach a public address; \"10.0.0.7\" is 10.0.0.7 (loopback, private and link-local addresses are refused).")]
    [InlineData("https://169.254.169.254/latest/meta-data", "Webhook \"url\" must reach a public address; \"169.254.169.254\" is 169.254.169.254 (loopback, private and link-local addresses are refused).")]
    [InlineData("not a url", "Webhook \"url\" must be an absolute https URL.")]
    [InlineData("https://user:pw@93.184.215.14/hooks", "Webhook \"url\" must not carry a user name or password.")]
    public async Task A_url_that_is_not_https_or_not_public_is_refused_and_nothing_is_stored(string url, string message)
    {
        await AssertError(await RegisterAsync($$"""{"url": "{{url}}", "events": ["purchase.completed"]}"""), 400, message);
        Assert.Equal(0, await EndpointCountAsync());
    }

    [Theory]
    [InlineData("""{"url": "https://93.184.215.14/h"}""")]
    [InlineData("""{"url": "https://93.184.215.14/h", "events": []}""")]
    [InlineData("""{"url": "https://93.184.215.14/h", "events": ["purchase.created"]}""")]
    public async Task Events_must_be_known_ones(string body)
    {
        await AssertError(await RegisterAsync(body), 400,
            "Webhook \"events\" must list one or more of: purchase.completed, purchase.failed, purchase.status_changed.");
        Assert.Equal(0, await EndpointCountAsync());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused()
    {
        await AssertError(await RegisterAsync("{\"url\": "), 400, "Request body must be valid JSON.");
        Assert.Equal(0, await EndpointCountAsync());
    }

    [Fact]
    public async Task A_customer_has_at_most_ten_live_endpoints()
    {
        for (var i = 0; i < 10; i++) await RegisteredAsync();

        await AssertError(await RegisterAsync($$"""{"url": "{{PublicUrl}}", "events": ["purchase.completed"]}"""), 409,
            "A customer may have at most 10 webhook endpoints; remove one first.");
        Assert.Equal(10, await EndpointCountAsync());

        var first = (await BodyOf(await Client.GetAsync("/api/v0/user/trebolenergia/webhooks", Ct)))
            .GetProperty("items")[0].GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/v0/user/trebolenergia/webhooks/{first}", Ct)).StatusCode);
        await RegisteredAsync();
    }

    [Fact]
    public async Task Rotating_gives_a_new_secret_once_and_keeps_the_old_one_for_the_grace_period()
    {
        var registered = await RegisteredAsync();
        var id = registered.GetProperty("id").GetGuid();
        var before = await Api.ScalarAsync<string>("SELECT protected_secret FROM webhook_endpoints WHERE id = $1", id);

        var response = await Client.PostAsync($"/api/v0/user/trebolenergia/webhooks/{id}/rotate-secret", null, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await BodyOf(response);
        var secret = body.GetProperty("secret").GetString()!;
        Assert.Matches("^whsec_", secret);
        Assert.NotEqual(registered.GetProperty("secret").GetString(), secret);
        var until = NodaTime.Text.InstantPattern.General.Parse(body.GetProperty("previous_secret_expires_at").GetString()!).Value;
        var grace = until - NodaTime.SystemClock.Instance.GetCurrentInstant();
        Assert.InRange(grace.TotalHours, 23.9, 24.0);
        Assert.Equal($"Secret rotated. Keep the new one now: it is not shown again. The previous one also signs until {body.GetProperty("previous_secret_expires_at").GetString()}.",
            body.GetProperty("message").GetString());
        Assert.Equal(before, await Api.ScalarAsync<string>("SELECT protected_previous_secret FROM webhook_endpoints WHERE id = $1", id));

        var item = (await BodyOf(await Client.GetAsync("/api/v0/user/trebolenergia/webhooks", Ct))).GetProperty("items")[0];
        Assert.Equal(body.GetProperty("previous_secret_expires_at").GetString(), item.GetProperty("previous_secret_expires_at").GetString());
    }

    [Fact]
    public async Task Removing_stops_the_endpoint_erases_its_secrets_and_a_second_remove_is_404()
    {
        var id = (await RegisteredAsync()).GetProperty("id").GetGuid();

        var removed = await Client.DeleteAsync($"/api/v0/user/trebolenergia/webhooks/{id}", Ct);

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Empty((await BodyOf(await Client.GetAsync("/api/v0/user/trebolenergia/webhooks", Ct))).GetProperty("items").EnumerateArray());
        Assert.True(await Api.ScalarAsync<bool>(
            "SELECT deleted_at IS NOT NULL AND protected_secret IS NULL AND protected_previous_secret IS NULL FROM webhook_endpoints WHERE id = $1", id));
        await AssertError(await Client.DeleteAsync($"/api/v0/user/trebolenergia/webhooks/{id}", Ct), 404, "Webhook endpoint not found.");
        await AssertError(await Client.PostAsync($"/api/v0/user/trebolenergia/webhooks/{id}/rotate-secret", null, Ct), 404,
            "Webhook endpoint not found.");
    }

    [Fact]
    public async Task Another_customers_endpoints_are_403_by_their_path_and_404_by_id()
    {
        var id = (await RegisteredAsync()).GetProperty("id").GetGuid();
        var other = Api.ClientFor(await Api.AddCustomerAsync("otherretailer"));

        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/api/v0/user/trebolenergia/webhooks", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await RegisterAsync($$"""{"url": "{{PublicUrl}}", "events": ["purchase.failed"]}""",
            client: other)).StatusCode);
        await AssertError(await other.DeleteAsync($"/api/v0/user/otherretailer/webhooks/{id}", Ct), 404, "Webhook endpoint not found.");
        await AssertError(await other.PostAsync($"/api/v0/user/otherretailer/webhooks/{id}/rotate-secret", null, Ct), 404,
            "Webhook endpoint not found.");
        Assert.Empty((await BodyOf(await other.GetAsync("/api/v0/user/otherretailer/webhooks", Ct))).GetProperty("items").EnumerateArray());
        Assert.Equal(1, await Api.ScalarAsync<long>("SELECT count(*) FROM webhook_endpoints WHERE deleted_at IS NULL"));
    }

    [Fact]
    public async Task A_worker_token_may_not_manage_webhooks_and_an_operator_may()
    {
        var worker = Api.ClientFor(await Api.IssueTokenAsync("worker", "argo"));
        Assert.Equal(HttpStatusCode.Forbidden, (await worker.GetAsync("/api/v0/user/trebolenergia/webhooks", Ct)).StatusCode);

        var operatorClient = Api.ClientFor(await Api.IssueTokenAsync("operator", "ops"));
        Assert.Equal(HttpStatusCode.Created, (await RegisterAsync($$"""{"url": "{{PublicUrl}}", "events": ["purchase.failed"]}""",
            client: operatorClient)).StatusCode);
        await AssertError(await RegisterAsync($$"""{"url": "{{PublicUrl}}", "events": ["purchase.failed"]}""", "nosuchcustomer",
            operatorClient), 404, "Customer not found.");
    }
}
