using System.Net;
using System.Text.Json;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Features.ListOutboxEntries;

public sealed class ListOutboxEntriesTests(ApiFactory api) : ApiTest(api)
{
    HttpClient _operator = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _operator = Api.ClientFor(await Api.IssueTokenAsync("operator", "ops"));
    }

    async Task<JsonElement> List(string query = "")
    {
        var response = await _operator.GetAsync($"/api/v0/admin/outbox{query}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await BodyOf(response);
    }

    static List<JsonElement> Items(JsonElement page) => page.GetProperty("items").EnumerateArray().ToList();

    [Fact]
    public async Task An_entry_shows_the_contract_fields()
    {
        var token = await Api.AddCustomerAsync("trebolenergia");
        var purchaseId = await Api.ClientFor(token).SubmitAsync("trebolenergia", "123");

        var page = await List();

        var item = Assert.Single(Items(page));
        foreach (var key in new[] { "id", "purchase_id", "user", "retailer_id", "state", "attempts", "last_error", "created_at", "next_attempt_at", "workflow_name" })
            Assert.True(item.TryGetProperty(key, out _), key);
        Assert.Equal(purchaseId.ToString(), item.GetProperty("purchase_id").GetString());
        Assert.Equal("trebolenergia", item.GetProperty("user").GetString());
        Assert.Equal("123", item.GetProperty("retailer_id").GetString());
        Assert.Equal("pending", item.GetProperty("state").GetString());
        Assert.Equal(0, item.GetProperty("attempts").GetInt32());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("last_error").ValueKind);
        Assert.Equal($"purchase-{purchaseId}", item.GetProperty("workflow_name").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", item.GetProperty("created_at").GetString());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next_cursor").ValueKind);
    }

    [Fact]
    public async Task Each_filter_selects_only_its_entries()
    {
        await Api.InsertAsync(3, state: "failed", user: "alpha", retailerId: "r1", lastError: "HTTP 500: template missing", createdAgo: "3 hours");
        await Api.InsertAsync(2, state: "pending", user: "beta", retailerId: "r2", lastError: null, attempts: 0, createdAgo: "2 hours");
        await Api.InsertAsync(4, state: "submitted", user: "alpha", retailerId: "r2", lastError: null, attempts: 0, createdAgo: "30 minutes");
        var onePurchase = await Api.ScalarAsync<Guid>("SELECT purchase_id FROM outbox_entries WHERE state = 'pending' LIMIT 1");
        var from = DateTime.UtcNow.AddHours(-2.5).ToString("yyyy-MM-ddTHH:mm:ssZ");
        var to = DateTime.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ssZ");

        Assert.Equal(9, Items(await List()).Count);
        Assert.Equal(3, Items(await List("?state=failed")).Count);
        Assert.All(Items(await List("?state=failed")), i => Assert.Equal("failed", i.GetProperty("state").GetString()));
        Assert.Equal(7, Items(await List("?user=alpha")).Count);
        Assert.Equal(6, Items(await List("?retailer_id=r2")).Count);
        Assert.Equal(4, Items(await List("?user=alpha&retailer_id=r2")).Count);
        Assert.Equal(onePurchase.ToString(), Assert.Single(Items(await List($"?purchase_id={onePurchase}"))).GetProperty("purchase_id").GetString());
        Assert.Equal(2, Items(await List($"?created_from={from}&created_to={to}")).Count);
        Assert.Equal(6, Items(await List($"?created_from={from}")).Count);
        Assert.Equal(3, Items(await List("?error_contains=TEMPLATE")).Count);
        Assert.Empty(Items(await List("?error_contains=nothing-like-this")));
    }

    [Fact]
    public async Task Pages_are_newest_first_and_stable_while_entries_are_added()
    {
        await Api.InsertAsync(25, createdAgo: "1 hour");
        var seen = new List<string>();

        var page = await List("?limit=10");
        seen.AddRange(Items(page).Select(i => i.GetProperty("id").GetString()!));
        await Api.InsertAsync(5, createdAgo: "1 second");
        while (page.GetProperty("next_cursor").GetString() is { } cursor)
        {
            page = await List($"?limit=10&cursor={cursor}");
            seen.AddRange(Items(page).Select(i => i.GetProperty("id").GetString()!));
        }

        var firstTwentyFive = await Api.ScalarAsync<string>(
            "SELECT string_agg(id::text, ',' ORDER BY created_at DESC, id DESC) FROM outbox_entries WHERE created_at < now() - interval '1 minute'");
        Assert.Equal(firstTwentyFive.Split(','), seen);
    }

    [Theory]
    [InlineData("?state=done", "Query parameter \"state\" must be one of: pending, submitted, failed.")]
    [InlineData("?limit=0", "Query parameter \"limit\" must be a whole number from 1 to 1000.")]
    [InlineData("?limit=1001", "Query parameter \"limit\" must be a whole number from 1 to 1000.")]
    [InlineData("?limit=ten", "Query parameter \"limit\" must be a whole number from 1 to 1000.")]
    [InlineData("?purchase_id=nope", "Query parameter \"purchase_id\" must be a UUID.")]
    [InlineData("?created_from=yesterday", "Query parameter \"created_from\" must be an RFC 3339 UTC timestamp (e.g., \"2025-11-10T09:00:00Z\").")]
    [InlineData("?created_to=2025-11-10", "Query parameter \"created_to\" must be an RFC 3339 UTC timestamp (e.g., \"2025-11-10T09:00:00Z\").")]
    [InlineData("?cursor=abc", "Query parameter \"cursor\" is not a cursor this API gave.")]
    public async Task A_bad_query_value_is_named(string query, string message) =>
        await AssertError(await _operator.GetAsync($"/api/v0/admin/outbox{query}", Ct), 400, message);
}
