using System.Net;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Features.SubmitPurchase;

public sealed class SubmitPurchaseTests(ApiFactory api) : ApiTest(api)
{
    const string SeedBody = """
        {"purchase": [{"datetime": "2025-11-11 00:15", "purchase": 12.0}, {"datetime": "2025-11-11 00:30", "purchase": 13.0}]}
        """;

    string _token = "";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _token = await Api.AddCustomerAsync("trebolenergia");
    }

    Task<HttpResponseMessage> Submit(string body, string url = "/api/v0/user/trebolenergia/submit-purchase?retailer_id=123") =>
        Api.ClientFor(_token).PostAsync(url, Json(body), Ct);

    [Fact]
    public async Task Seed_example_is_created_with_the_contract_shape_and_location()
    {
        var response = await Submit(SeedBody);

        var body = await BodyOf(response);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = body.GetProperty("id").GetString()!;
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id);
        Assert.Equal("pending", body.GetProperty("status").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", body.GetProperty("created_at").GetString());
        Assert.Equal(2, body.GetProperty("rows_uploaded").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("error").ValueKind);
        Assert.Equal($"Purchase created successfully with ID: {id} for user: trebolenergia and retailer: 123",
            body.GetProperty("message").GetString());
        Assert.Equal($"/api/v0/user/trebolenergia/purchase/{id}/get", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Purchase_rows_and_one_outbox_entry_are_stored_exactly()
    {
        var response = await Submit("""
            {"purchase": [{"datetime": "2025-11-11 00:15", "purchase": 12.345678901234567890123},
                          {"datetime": "2025-11-11 00:30", "purchase": -0.5}]}
            """);
        var id = Guid.Parse((await BodyOf(response)).GetProperty("id").GetString()!);

        Assert.Equal("trebolenergia|123|pending|2", await Api.ScalarAsync<string>(
            "SELECT concat_ws('|', \"user\", retailer_id, status, rows_uploaded) FROM purchases WHERE id = $1", id));
        Assert.Equal("0|2025-11-11 00:15:00|2025-11-10 23:15:00+00|12.345678901234567890123;1|2025-11-11 00:30:00|2025-11-10 23:30:00+00|-0.5",
            await Api.ScalarAsync<string>("""
                SELECT string_agg(concat_ws('|', position, local_time, instant AT TIME ZONE 'UTC' || '+00', mw), ';' ORDER BY position)
                FROM purchase_rows WHERE purchase_id = $1
                """, id));
        Assert.Equal($"purchase-{id}|pending|0|trebolenergia|123", await Api.ScalarAsync<string>("""
            SELECT concat_ws('|', workflow_name, state, attempts, payload->>'user', payload->>'retailer_id')
            FROM outbox_entries WHERE purchase_id = $1
            """, id));
        Assert.Equal(1L, await Api.ScalarAsync<long>("SELECT count(*) FROM outbox_entries"));
    }

    [Fact]
    public async Task A_schedule_out_of_order_is_stored_in_the_order_given_with_each_times_own_instant()
    {
        var response = await Submit("""
            {"purchase": [{"datetime": "2025-10-26 03:00", "purchase": 3}, {"datetime": "2025-10-26 02:00", "purchase": 1},
                          {"datetime": "2025-10-26 01:45", "purchase": 0}, {"datetime": "2025-10-26 02:00", "purchase": 2}]}
            """);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = Guid.Parse((await BodyOf(response)).GetProperty("id").GetString()!);

        // 02:00 on the fall-back day happens twice: first in summer time (00:00Z), then in winter time (01:00Z).
        Assert.Equal("0|03:00:00|02:00:00|3;1|02:00:00|00:00:00|1;2|01:45:00|23:45:00|0;3|02:00:00|01:00:00|2",
            await Api.ScalarAsync<string>("""
                SELECT string_agg(concat_ws('|', position, local_time::time, (instant AT TIME ZONE 'UTC')::time, mw), ';' ORDER BY position)
                FROM purchase_rows WHERE purchase_id = $1
                """, id));
    }

    [Fact]
    public async Task The_older_path_form_with_the_retailer_in_the_path_is_accepted()
    {
        var response = await Submit(SeedBody, "/api/v0/user/trebolenergia/submit-purchase/77");

        var body = await BodyOf(response);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.EndsWith("for user: trebolenergia and retailer: 77", body.GetProperty("message").GetString());
        Assert.Equal("77", await Api.ScalarAsync<string>("SELECT retailer_id FROM purchases"));
    }

    [Fact]
    public async Task A_year_of_quarter_hours_is_stored_completely()
    {
        var start = new DateTime(2025, 1, 1);
        var items = new List<string>();
        // Local market time: the spring gap (02:00–02:59 on 30 March) is skipped and the autumn hour given twice.
        for (var t = start; t < start.AddYears(1); t = t.AddMinutes(15))
        {
            if (t is { Month: 3, Day: 30, Hour: 2 }) continue;
            items.Add($$"""{"datetime":"{{t:yyyy-MM-dd HH:mm}}","purchase":{{t.Minute + 0.25m}}}""");
            if (t is { Month: 10, Day: 26, Hour: 2 })
                items.Add($$"""{"datetime":"{{t:yyyy-MM-dd HH:mm}}","purchase":{{t.Minute + 0.25m}}}""");
        }
        Assert.Equal(35_040, items.Count);

        var response = await Submit($$"""{"purchase":[{{string.Join(',', items)}}]}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(35_040, (await BodyOf(response)).GetProperty("rows_uploaded").GetInt32());
        Assert.Equal(35_040L, await Api.ScalarAsync<long>("SELECT count(DISTINCT instant) FROM purchase_rows"));
        Assert.Equal(items.Count * 22.75m + 0m, await Api.ScalarAsync<decimal>("SELECT sum(mw) FROM purchase_rows"));
    }

    [Fact]
    public async Task The_spring_forward_day_has_92_quarter_hours_and_is_accepted()
    {
        var items = Enumerable.Range(0, 96).Select(q => new DateTime(2025, 3, 30).AddMinutes(15 * q))
            .Where(t => t.Hour != 2)
            .Select(t => $$"""{"datetime":"{{t:yyyy-MM-dd HH:mm}}","purchase":1}""").ToList();
        Assert.Equal(92, items.Count);

        var response = await Submit($$"""{"purchase":[{{string.Join(',', items)}}]}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("2025-03-30 00:45:00|2025-03-30 01:00:00", await Api.ScalarAsync<string>("""
            SELECT concat_ws('|', (SELECT instant AT TIME ZONE 'UTC' FROM purchase_rows WHERE local_time = '2025-03-30 01:45'),
                                  (SELECT instant AT TIME ZONE 'UTC' FROM purchase_rows WHERE local_time = '2025-03-30 03:00'))
            """));
    }

    [Fact]
    public async Task The_fall_back_day_has_100_quarter_hours_and_the_repeated_hour_maps_earlier_then_later()
    {
        var items = new List<string>();
        for (var t = new DateTime(2025, 10, 26); t < new DateTime(2025, 10, 27); t = t.AddMinutes(15))
        {
            items.Add($$"""{"datetime":"{{t:yyyy-MM-dd HH:mm}}","purchase":1}""");
            if (t.Hour == 2) items.Add($$"""{"datetime":"{{t:yyyy-MM-dd HH:mm}}","purchase":2}""");
        }
        Assert.Equal(100, items.Count);

        var response = await Submit($$"""{"purchase":[{{string.Join(',', items)}}]}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("2025-10-26 00:00:00 1;2025-10-26 01:00:00 2", await Api.ScalarAsync<string>("""
            SELECT string_agg((instant AT TIME ZONE 'UTC')::text || ' ' || mw, ';' ORDER BY position)
            FROM purchase_rows WHERE local_time = '2025-10-26 02:00'
            """));
    }

    [Fact]
    public async Task A_third_copy_of_an_ambiguous_time_is_a_duplicate_of_the_first()
    {
        var response = await Submit("""
            {"purchase": [{"datetime": "2025-10-26 02:15", "purchase": 1}, {"datetime": "2025-10-26 02:15", "purchase": 1},
                          {"datetime": "2025-10-26 02:15", "purchase": 1}]}
            """);

        await AssertError(response, 400, "Purchase item at index 2: duplicate datetime \"2025-10-26 02:15\" (first given at index 0).");
        Assert.Equal(0L, await Api.ScalarAsync<long>("SELECT count(*) FROM purchases"));
    }

    [Fact]
    public async Task A_fault_after_some_rows_were_copied_leaves_nothing_behind()
    {
        await Api.ExecuteAsync("""
            CREATE FUNCTION fail_at_row_50() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN IF NEW.position = 50 THEN RAISE EXCEPTION 'injected fault'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER fail_at_row_50 BEFORE INSERT ON purchase_rows FOR EACH ROW EXECUTE FUNCTION fail_at_row_50();
            """);
        try
        {
            var items = Enumerable.Range(0, 96).Select(q => new DateTime(2025, 11, 11).AddMinutes(15 * q))
                .Select(t => $$"""{"datetime":"{{t:yyyy-MM-dd HH:mm}}","purchase":1}""");

            var response = await Submit($$"""{"purchase":[{{string.Join(',', items)}}]}""");

            await AssertError(response, 500, "Internal server error while creating purchase.");
            Assert.Equal(0L, await Api.ScalarAsync<long>(
                "SELECT (SELECT count(*) FROM purchases) + (SELECT count(*) FROM purchase_rows) + (SELECT count(*) FROM outbox_entries)"));
        }
        finally
        {
            await Api.ExecuteAsync("DROP TRIGGER fail_at_row_50 ON purchase_rows; DROP FUNCTION fail_at_row_50();");
        }
    }
}
