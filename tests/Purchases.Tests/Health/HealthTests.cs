using System.Net;
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
}
