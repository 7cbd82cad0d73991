using System.Net;
using System.Text;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Features.ListPurchases;

/// <summary>A customer's purchases, newest first: the summary fields, filters, stable pages, ownership and refusals.</summary>
public sealed class ListPurchasesTests(ApiFactory api) : ApiTest(api)
{
    string _customer = "", _other = "";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _customer = await Api.AddCustomerAsync("trebolenergia");
        _other = await Api.AddCustomerAsync("otraenergia");
    }

    /// <summary>A one-day schedule for <paramref name="day"/> (two items, out of order, crossing no clock change).</summary>
    async Task<Guid> SubmitDayAsync(string day, string retailer = "123", string user = "trebolenergia", string? token = null)
    {
        var body = $$"""{"purchase": [{"datetime": "{{day}} 23:45", "purchase": 1.50}, {"datetime": "{{day}} 00:00", "purchase": 2}]}""";
        var response = await Api.ClientFor(token ?? _customer).PostAsync(
            $"/api/v0/user/{user}/submit-purchase?retailer_id={retailer}", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await BodyOf(response)).GetProperty("id").GetGuid();
    }

    async Task<JsonElement> ListAsync(string query = "")
    {
        var response = await Api.ClientFor(_customer).GetAsync($"/api/v0/user/trebolenergia/purchases{query}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await BodyOf(response);
    }

    static List<Guid> Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();

    [Fact]
    public async Task Lists_the_users_purchases_newest_first_as_get_purchase_shows_them_without_the_output()
    {
        var first = await SubmitDayAsync("2025-11-11");
        var second = await SubmitDayAsync("2025-11-12", retailer: "456");
        await SubmitDayAsync("2025-11-12", user: "otraenergia", token: _other);
        await Api.ExecuteAsync("UPDATE purchases SET status = 'completed', strategy_output = '{\"idmodel\": 7}' WHERE id = $1", first);

        var page = await ListAsync();

        Assert.Equal([second, first], Ids(page));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next_cursor").ValueKind);
        var item = page.GetProperty("items")[1];
        var get = await BodyOf(await Api.ClientFor(_customer).GetPurchaseAsync("trebolenergia", first));
        foreach (var key in new[] { "id", "status", "error", "created_at", "updated_at", "rows_uploaded", "retailer_id", "workflow" })
            Assert.Equal(get.GetProperty(key).GetRawText(), item.GetProperty(key).GetRawText());
        Assert.False(item.TryGetProperty("strategy_output", out _));
        Assert.Equal("completed", item.GetProperty("status").GetString());
        Assert.Equal(2, item.GetProperty("rows_uploaded").GetInt32());
        Assert.Equal("2025-11-11", item.GetProperty("delivery_from").GetString());
        Assert.Equal("2025-11-11", item.GetProperty("delivery_to").GetString());
        Assert.Equal("456", page.GetProperty("items")[0].GetProperty("retailer_id").GetString());
    }

    [Fact]
    public async Task Filters_narrow_the_list()
    {
        var early = await SubmitDayAsync("2025-11-10", retailer: "A");
        var middle = await SubmitDayAsync("2025-11-11", retailer: "B");
        var late = await SubmitDayAsync("2025-11-12", retailer: "A");
        await Api.ExecuteAsync("UPDATE purchases SET status = 'failed' WHERE id = $1", middle);
        await Api.ExecuteAsync("UPDATE purchases SET created_at = created_at - interval '1 hour' WHERE id = $1", early);
        var cut = await Api.ScalarAsync<Instant>("SELECT created_at FROM purchases WHERE id = $1", middle);
        var at = InstantPattern.ExtendedIso.Format(cut);

        Assert.Equal([middle], Ids(await ListAsync("?status=failed")));
        Assert.Equal([late, early], Ids(await ListAsync("?status=pending")));
        Assert.Equal([late, early], Ids(await ListAsync("?retailer_id=A")));
        Assert.Equal([late, middle], Ids(await ListAsync($"?created_from={at}")));
        Assert.Equal([early], Ids(await ListAsync($"?created_to={at}")));
        Assert.Equal([late, middle], Ids(await ListAsync("?delivery_from=2025-11-11")));
        Assert.Equal([middle, early], Ids(await ListAsync("?delivery_to=2025-11-11")));
        Assert.Equal([middle], Ids(await ListAsync("?delivery_from=2025-11-11&delivery_to=2025-11-11")));
        Assert.Equal([late], Ids(await ListAsync("?retailer_id=A&delivery_from=2025-11-11&status=pending")));
        Assert.Empty(Ids(await ListAsync("?delivery_from=2025-11-13")));
    }

    [Fact]
    public async Task A_schedule_over_several_days_matches_any_day_it_covers()
    {
        var body = """{"purchase": [{"datetime": "2025-11-12 00:00", "purchase": 1}, {"datetime": "2025-11-10 00:00", "purchase": 1}]}""";
        var response = await Api.ClientFor(_customer).PostAsync("/api/v0/user/trebolenergia/submit-purchase?retailer_id=1",
            new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        var id = (await BodyOf(response)).GetProperty("id").GetGuid();

        var page = await ListAsync("?delivery_from=2025-11-11&delivery_to=2025-11-11");

        Assert.Equal([id], Ids(page));
        Assert.Equal("2025-11-10", page.GetProperty("items")[0].GetProperty("delivery_from").GetString());
        Assert.Equal("2025-11-12", page.GetProperty("items")[0].GetProperty("delivery_to").GetString());
    }

    [Fact]
    public async Task Pages_are_stable_while_purchases_are_added()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++) ids.Add(await SubmitDayAsync("2025-11-11"));

        var first = await ListAsync("?limit=2");
        await SubmitDayAsync("2025-11-11");
        var second = await ListAsync($"?limit=2&cursor={first.GetProperty("next_cursor").GetString()}");
        await SubmitDayAsync("2025-11-11");
        var third = await ListAsync($"?limit=2&cursor={second.GetProperty("next_cursor").GetString()}");

        ids.Reverse();
        Assert.Equal(ids, Ids(first).Concat(Ids(second)).Concat(Ids(third)));
        Assert.Equal(JsonValueKind.Null, third.GetProperty("next_cursor").ValueKind);
        Assert.Equal(7, Ids(await ListAsync()).Count);
    }

    [Fact]
    public async Task Another_customers_list_is_403_and_a_worker_or_operator_may_read_it()
    {
        await SubmitDayAsync("2025-11-11");

        await AssertDetail(await Api.ClientFor(_other).GetAsync("/api/v0/user/trebolenergia/purchases", Ct), 403,
            "You do not have permission to perform this action.");
        foreach (var (role, name) in new[] { ("worker", "argo"), ("operator", "alice") })
        {
            var response = await Api.ClientFor(await Api.IssueTokenAsync(role, name)).GetAsync("/api/v0/user/trebolenergia/purchases", Ct);
            Assert.Single(Ids(await BodyOf(response)));
        }
        var own = await Api.ClientFor(_other).GetAsync("/api/v0/user/otraenergia/purchases", Ct);
        Assert.Empty(Ids(await BodyOf(own)));
    }

    [Theory]
    [InlineData("?status=done", "Query parameter \"status\" must be one of: failed, pending, in_progress, completed.")]
    [InlineData("?limit=0", "Query parameter \"limit\" must be a whole number from 1 to 1000.")]
    [InlineData("?limit=1001", "Query parameter \"limit\" must be a whole number from 1 to 1000.")]
    [InlineData("?cursor=nope", "Query parameter \"cursor\" is not a cursor this API gave.")]
    [InlineData("?created_from=yesterday", "Query parameter \"created_from\" must be an RFC 3339 UTC timestamp (e.g., \"2025-11-10T09:00:00Z\").")]
    [InlineData("?created_to=2025-11-10", "Query parameter \"created_to\" must be an RFC 3339 UTC timestamp (e.g., \"2025-11-10T09:00:00Z\").")]
    [InlineData("?delivery_from=2025-13-01", "Query parameter \"delivery_from\" must be a date as YYYY-MM-DD (e.g., \"2025-11-10\").")]
    [InlineData("?delivery_to=11/10/2025", "Query parameter \"delivery_to\" must be a date as YYYY-MM-DD (e.g., \"2025-11-10\").")]
    public async Task A_bad_query_value_is_400_with_its_message(string query, string message) =>
        await AssertError(await Api.ClientFor(_customer).GetAsync($"/api/v0/user/trebolenergia/purchases{query}", Ct), 400, message);

    [Fact]
    public async Task The_page_query_walks_the_users_index_among_many_purchases()
    {
        await Api.ExecuteAsync("""
            INSERT INTO purchases (id, "user", retailer_id, status, rows_uploaded, created_at, updated_at, delivery_from, delivery_to)
            SELECT gen_random_uuid(), CASE WHEN n % 10 = 0 THEN 'trebolenergia' ELSE 'u' || (n % 97) END, '1', 'pending', 96,
                   now() - n * interval '1 second', now(), current_date, current_date
            FROM generate_series(1, 50000) n;
            ANALYZE purchases;
            """);

        var page = await ListAsync("?limit=1000");
        var next = await ListAsync($"?limit=1000&cursor={page.GetProperty("next_cursor").GetString()}");
        var plan = await Api.ScalarAsync<string>("""
            EXPLAIN (FORMAT JSON) SELECT p.id FROM purchases p LEFT JOIN outbox_entries e ON e.purchase_id = p.id
            WHERE p."user" = 'trebolenergia' AND (p.created_at, p.id) < (now(), gen_random_uuid())
            ORDER BY p.created_at DESC, p.id DESC LIMIT 101
            """);

        Assert.Equal(1000, Ids(page).Count);
        Assert.Equal(1000, Ids(next).Count);
        Assert.Empty(Ids(page).Intersect(Ids(next)));
        Assert.Contains("ix_purchases_user_created", plan);
        Assert.DoesNotContain("\"Sort\"", plan);
    }
}
