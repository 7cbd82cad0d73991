using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Purchases.Infrastructure.Persistence;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Features.SubmitPurchase;

/// <summary>Retailers retry: the same Idempotency-Key with the same request creates one purchase and answers the same.</summary>
public sealed class SubmitPurchaseIdempotencyTests(ApiFactory api) : ApiTest(api)
{
    const string Url = "/api/v0/user/trebolenergia/submit-purchase?retailer_id=123";
    string _token = "";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _token = await Api.AddCustomerAsync("trebolenergia");
    }

    Task<HttpResponseMessage> Submit(string key, string body = PurchaseApi.OneDay, string url = Url, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = Json(body) };
        request.Headers.Add("Idempotency-Key", key);
        return Api.ClientFor(token ?? _token).SendAsync(request, Ct);
    }

    Task<long> Purchases() => Api.ScalarAsync<long>("SELECT count(*) FROM purchases");

    [Fact]
    public async Task A_repeat_answers_the_first_response_again_and_creates_nothing()
    {
        var first = await Submit("order-42");
        var repeat = await Submit("order-42");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, repeat.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(Ct), await repeat.Content.ReadAsStringAsync(Ct));
        Assert.Equal(first.Headers.Location, repeat.Headers.Location);
        Assert.Equal(1, await Purchases());
        Assert.Equal(2L, await Api.ScalarAsync<long>("SELECT count(*) FROM purchase_rows"));
        Assert.Equal(1L, await Api.ScalarAsync<long>("SELECT count(*) FROM outbox_entries"));
    }

    [Theory]
    [InlineData("""{"purchase": [{"datetime": "2025-11-11 00:15", "purchase": 99.0}]}""", Url)]
    [InlineData(PurchaseApi.OneDay + " ", Url)]
    [InlineData(PurchaseApi.OneDay, "/api/v0/user/trebolenergia/submit-purchase?retailer_id=456")]
    public async Task The_same_key_with_another_request_is_409(string body, string url)
    {
        Assert.Equal(HttpStatusCode.Created, (await Submit("order-42")).StatusCode);

        await AssertError(await Submit("order-42", body, url), 409, "Idempotency-Key was already used with a different request.");
        Assert.Equal(1, await Purchases());
    }

    [Fact]
    public async Task Keys_belong_to_their_user()
    {
        var other = await Api.AddCustomerAsync("othercustomer");

        await Submit("order-42");
        var response = await Submit("order-42", url: "/api/v0/user/othercustomer/submit-purchase?retailer_id=123", token: other);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(2, await Purchases());
    }

    [Fact]
    public async Task A_key_over_255_characters_is_rejected_and_255_is_fine()
    {
        await AssertError(await Submit(new string('k', 256)), 400, "Idempotency-Key must be at most 255 characters.");
        Assert.Equal(0, await Purchases());
        Assert.Equal(HttpStatusCode.Created, (await Submit(new string('k', 255))).StatusCode);
    }

    const string LateDuplicate = """{"datetime": "2025-01-01 00:00", "purchase": 1}""";
    const string LateDuplicateMessage = "Purchase item at index 1999: duplicate datetime \"2025-01-01 00:00\" (first given at index 0).";

    [Fact]
    public async Task A_rejected_request_does_not_use_up_its_key()
    {
        await AssertError(await Submit("order-42", """{"purchase": []}"""), 400, "Field \"purchase\" must contain at least one item.");
        await AssertError(await Submit("order-42", PurchaseApi.QuarterHoursWith(2_000, 1_999, LateDuplicate)), 400, LateDuplicateMessage);

        Assert.Equal(0L, await Api.ScalarAsync<long>("SELECT count(*) FROM idempotency_keys"));
        Assert.Equal(HttpStatusCode.Created, (await Submit("order-42")).StatusCode);
    }

    [Fact]
    public async Task A_used_key_with_a_request_whose_item_fails_its_check_gets_the_check_not_409()
    {
        Assert.Equal(HttpStatusCode.Created, (await Submit("order-42")).StatusCode);

        await AssertError(await Submit("order-42", PurchaseApi.QuarterHoursWith(2_000, 1_999, LateDuplicate)), 400, LateDuplicateMessage);
        Assert.Equal(1, await Purchases());
        Assert.Equal(2L, await Api.ScalarAsync<long>("SELECT count(*) FROM purchase_rows"));
    }

    /// <summary>
    /// Items are read as they are stored; a fault of the database before then (here a trigger refusing one key) must
    /// still answer a refused item's 400, the answer the body got when every item was checked before storing.
    /// </summary>
    [Fact]
    public async Task A_database_fault_before_the_rows_still_answers_a_refused_item_with_its_400()
    {
        await Api.ExecuteAsync("""
            CREATE FUNCTION test_refuse_key() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.key = 'db-fault' THEN RAISE EXCEPTION 'injected fault'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER test_refuse_key BEFORE INSERT ON idempotency_keys FOR EACH ROW EXECUTE FUNCTION test_refuse_key();
            """);
        try
        {
            await AssertError(await Submit("db-fault", PurchaseApi.QuarterHoursWith(2_000, 1_999, LateDuplicate)), 400, LateDuplicateMessage);
            await AssertError(await Submit("db-fault"), 500, "Internal server error while creating purchase.");
            Assert.Equal(0, await Purchases());
        }
        finally
        {
            await Api.ExecuteAsync("DROP TRIGGER test_refuse_key ON idempotency_keys; DROP FUNCTION test_refuse_key();");
        }
    }

    [Fact]
    public async Task Concurrent_repeats_wait_for_the_first_and_create_one_purchase()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Submit("order-42"))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync(Ct)));
        Assert.Single(bodies.Distinct());
        Assert.Equal(1, await Purchases());
    }

    [Fact]
    public async Task After_24_hours_the_key_is_forgotten()
    {
        var first = await Submit("order-42");
        await Api.ExecuteAsync("UPDATE idempotency_keys SET created_at = created_at - interval '25 hours', expires_at = expires_at - interval '25 hours'");

        var later = await Submit("order-42");

        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
        Assert.NotEqual(first.Headers.Location, later.Headers.Location);
        Assert.Equal(2, await Purchases());
    }

    [Fact]
    public async Task The_cleanup_job_deletes_only_expired_keys()
    {
        await Submit("old");
        await Submit("new");
        await Api.ExecuteAsync("UPDATE idempotency_keys SET expires_at = now() - interval '1 minute' WHERE key = 'old'");

        var deleted = await ActivatorUtilities.CreateInstance<IdempotencyKeyCleanupJob>(Api.Services).CleanupAsync(Ct);

        Assert.Equal(1, deleted);
        Assert.Equal("new", await Api.ScalarAsync<string>("SELECT string_agg(key, ',') FROM idempotency_keys"));
    }
}
