using System.Net.Http.Headers;
using System.Text;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Features.SubmitPurchase;

/// <summary>Every check of the contract with its exact message, and nothing stored when one fails.</summary>
public sealed class SubmitPurchaseValidationTests(ApiFactory api) : ApiTest(api)
{
    const string Url = "/api/v0/user/trebolenergia/submit-purchase?retailer_id=123";
    const string ValidBody = """{"purchase": [{"datetime": "2025-11-11 00:15", "purchase": 12.0}]}""";
    const string InvalidFormat = "invalid datetime format. Expected \"YYYY-MM-DD HH:MM\" (e.g., \"2024-01-15 14:30\").";

    string _token = "";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _token = await Api.AddCustomerAsync("trebolenergia");
    }

    async Task AssertRejected(HttpResponseMessage response, int status, string message)
    {
        await AssertError(response, status, message);
        Assert.Equal(0L, await Api.ScalarAsync<long>(
            "SELECT (SELECT count(*) FROM purchases) + (SELECT count(*) FROM purchase_rows) + (SELECT count(*) FROM outbox_entries)"));
    }

    Task<HttpResponseMessage> Submit(string body, string url = Url) => Api.ClientFor(_token).PostAsync(url, Json(body), Ct);

    [Theory]
    [InlineData("/api/v0/user//submit-purchase?retailer_id=123")]
    [InlineData("/api/v0/user//submit-purchase/123")]
    public async Task An_empty_user_segment_is_named(string url) =>
        await AssertRejected(await Submit(ValidBody, url), 400, "Missing required URL parameter \"user\".");

    [Theory]
    [InlineData("/api/v0/user/trebolenergia/submit-purchase")]
    [InlineData("/api/v0/user/trebolenergia/submit-purchase?retailer_id=")]
    [InlineData("/api/v0/user/trebolenergia/submit-purchase?other=1")]
    public async Task A_missing_or_empty_retailer_is_named(string url) =>
        await AssertRejected(await Submit(ValidBody, url), 400, "Missing required query parameter \"retailer_id\".");

    [Fact]
    public async Task The_user_check_comes_before_the_retailer_check() =>
        await AssertRejected(await Submit("nonsense", "/api/v0/user//submit-purchase"), 400, "Missing required URL parameter \"user\".");

    [Fact]
    public async Task The_retailer_check_comes_before_the_body_checks() =>
        await AssertRejected(await Submit("nonsense", "/api/v0/user/trebolenergia/submit-purchase"), 400,
            "Missing required query parameter \"retailer_id\".");

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("nonsense")]
    [InlineData("""{"purchase": [{"datetime": "2025-11-11 00:15", "purchase": NaN}]}""")]
    [InlineData("""{"purchase": [{"datetime": "2025-11-11 00:15", "purchase": Infinity}]}""")]
    [InlineData("""{"purchase": [{"datetime": "2025-11-11 00:15", "purchase": 1}]} trailing""")]
    [InlineData("""{"purchase": [{"datetime": "2025-11-11 00:15", "purchase": 1},]}""")]
    [InlineData("""{"purchase": [{"datetime": "2025-11-11 00:15", "purchase": 1}]""")]
    public async Task A_body_that_is_not_json_is_rejected(string body) =>
        await AssertRejected(await Submit(body), 400, "Request body must be valid JSON.");

    [Fact]
    public async Task Invalid_json_wins_over_an_earlier_item_error() =>
        await AssertRejected(await Submit("""{"purchase": [{"purchase": 1}, {"datetime": }]}"""), 400, "Request body must be valid JSON.");

    [Theory]
    [InlineData("[]")]
    [InlineData("[{\"purchase\": []}]")]
    [InlineData("\"purchase\"")]
    [InlineData("12")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("""{"purchases": [{"datetime": "2025-11-11 00:15", "purchase": 12.0}]}""")]
    [InlineData("""{"Purchase": [{"datetime": "2025-11-11 00:15", "purchase": 12.0}]}""")]
    public async Task A_body_without_a_purchase_field_is_rejected(string body) =>
        await AssertRejected(await Submit(body), 400, "Missing required field \"purchase\".");

    [Theory]
    [InlineData("""{"purchase": null}""")]
    [InlineData("""{"purchase": "2025-11-11 00:15"}""")]
    [InlineData("""{"purchase": {"datetime": "2025-11-11 00:15", "purchase": 12.0}}""")]
    [InlineData("""{"purchase": 12}""")]
    [InlineData("""{"purchase": [1]}""")]
    [InlineData("""{"purchase": [{"datetime": "2025-11-11 00:15", "purchase": 12.0}, null]}""")]
    [InlineData("""{"purchase": [[{"datetime": "2025-11-11 00:15", "purchase": 12.0}]]}""")]
    [InlineData("""{"purchase": [{}, "x"]}""")]
    public async Task A_purchase_that_is_not_an_array_of_objects_is_rejected(string body) =>
        await AssertRejected(await Submit(body), 400, "Field \"purchase\" must be an array of objects.");

    [Fact]
    public async Task An_empty_purchase_array_is_rejected() =>
        await AssertRejected(await Submit("""{"purchase": []}"""), 400, "Field \"purchase\" must contain at least one item.");

    [Fact]
    public async Task More_items_than_the_limit_are_rejected_before_the_items_are_checked()
    {
        var body = "{\"purchase\": [" + string.Join(',', Enumerable.Repeat("{}", 100_001)) + "]}";

        await AssertRejected(await Submit(body), 400, "Field \"purchase\" has 100001 items; at most 100000 are allowed.");
    }

    [Theory]
    [InlineData("""{"purchase": 12.0}""", "Purchase item at index 0 is missing required field \"datetime\".")]
    [InlineData("""{"Datetime": "2025-11-11 00:15", "purchase": 12.0}""", "Purchase item at index 0 is missing required field \"datetime\".")]
    [InlineData("""{"datetime": "2025-11-11 00:15"}""", "Purchase item at index 0 is missing required field \"purchase\".")]
    [InlineData("""{}""", "Purchase item at index 0 is missing required field \"datetime\".")]
    public async Task A_missing_item_field_is_named_with_its_index(string item, string message) =>
        await AssertRejected(await Submit($$"""{"purchase": [{{item}}]}"""), 400, message);

    [Theory]
    [InlineData("\"2025-11-11T00:15\"")]
    [InlineData("\"2025-11-11 00:15:00\"")]
    [InlineData("\"2025-11-11 0:15\"")]
    [InlineData("\"2025-11-11  00:15\"")]
    [InlineData("\"2025-11-11 24:00\"")]
    [InlineData("\"2025-11-11 23:60\"")]
    [InlineData("\"2025-02-29 00:15\"")]
    [InlineData("\"2025-13-01 00:15\"")]
    [InlineData("\"2025-00-10 00:15\"")]
    [InlineData("\"0000-01-01 00:15\"")]
    [InlineData("\"25-11-11 00:15\"")]
    [InlineData("\"2025/11/11 00:15\"")]
    [InlineData("\"\"")]
    [InlineData("\"２０２５-11-11 00:15\"")]
    [InlineData("null")]
    [InlineData("202511110015")]
    [InlineData("[\"2025-11-11 00:15\"]")]
    public async Task A_datetime_not_in_the_exact_format_is_rejected(string datetime) =>
        await AssertRejected(await Submit($$"""{"purchase": [{"datetime": {{datetime}}, "purchase": 1}]}"""), 400,
            $"Purchase item at index 0: {InvalidFormat}");

    [Fact]
    public async Task A_leap_day_and_an_escaped_datetime_are_accepted()
    {
        var response = await Submit("""
            {"purchase": [{"datetime": "2024-02-29 23:45", "purchase": 1}, {"datetime": "2024-03-01 00\u003A00", "purchase": 1}]}
            """);

        Assert.Equal(201, (int)response.StatusCode);
        Assert.Equal(2L, await Api.ScalarAsync<long>("SELECT count(*) FROM purchase_rows"));
    }

    [Theory]
    [InlineData("\"12\"")]
    [InlineData("\"12.0\"")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("[12]")]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    public async Task A_purchase_value_that_is_not_a_number_is_rejected_with_its_index(string value) =>
        await AssertRejected(await Submit($$"""
            {"purchase": [{"datetime": "2025-11-11 00:15", "purchase": 1},
                          {"datetime": "2025-11-11 00:30", "purchase": {{value}}}]}
            """), 400, "Purchase item at index 1: field \"purchase\" must be a number (in MW unit).");

    [Fact]
    public async Task A_time_in_the_spring_forward_gap_is_rejected() =>
        await AssertRejected(await Submit("""
            {"purchase": [{"datetime": "2025-03-30 01:45", "purchase": 1}, {"datetime": "2025-03-30 02:15", "purchase": 1}]}
            """), 400, "Purchase item at index 1: datetime \"2025-03-30 02:15\" does not exist in time zone Europe/Madrid.");

    [Fact]
    public async Task A_time_given_twice_is_a_duplicate_naming_the_first_index() =>
        await AssertRejected(await Submit("""
            {"purchase": [{"datetime": "2025-11-11 00:15", "purchase": 1}, {"datetime": "2025-11-11 00:30", "purchase": 1},
                          {"datetime": "2025-11-11 00:15", "purchase": 2}]}
            """), 400, "Purchase item at index 2: duplicate datetime \"2025-11-11 00:15\" (first given at index 0).");

    [Fact]
    public async Task A_duplicate_after_the_schedule_went_backwards_names_the_first_index() =>
        await AssertRejected(await Submit("""
            {"purchase": [{"datetime": "2025-11-11 00:30", "purchase": 1}, {"datetime": "2025-11-11 00:45", "purchase": 1},
                          {"datetime": "2025-11-11 00:15", "purchase": 1}, {"datetime": "2025-11-11 01:00", "purchase": 1},
                          {"datetime": "2025-11-11 00:45", "purchase": 2}]}
            """), 400, "Purchase item at index 4: duplicate datetime \"2025-11-11 00:45\" (first given at index 1).");

    [Fact]
    public async Task The_first_failing_index_wins_whatever_the_later_failures_are() =>
        await AssertRejected(await Submit("""
            {"purchase": [{"datetime": "2025-11-11 00:15", "purchase": 1},
                          {"datetime": "2025-11-11 00:30", "purchase": "1"},
                          {"purchase": 1}]}
            """), 400, "Purchase item at index 1: field \"purchase\" must be a number (in MW unit).");

    /// <summary>Items are checked as their rows are copied: one refused after thousands were sent leaves nothing behind.</summary>
    [Theory]
    [InlineData(1_500, """{"datetime": "2025-01-01 00:45", "purchase": 1}""",
        "Purchase item at index 1500: duplicate datetime \"2025-01-01 00:45\" (first given at index 3).")]
    [InlineData(2_999, """{"datetime": "2025-01-01 00:45", "purchase": "1"}""",
        "Purchase item at index 2999: field \"purchase\" must be a number (in MW unit).")]
    public async Task An_item_refused_after_thousands_of_rows_were_copied_leaves_nothing_stored(int index, string item, string message) =>
        await AssertRejected(await Submit(PurchaseApi.QuarterHoursWith(3_000, index, item)), 400, message);

    [Fact]
    public async Task Within_one_item_the_checks_go_in_the_contract_order() =>
        await AssertRejected(await Submit("""{"purchase": [{"datetime": "bad", "purchase": "bad"}]}"""), 400,
            "Purchase item at index 0: invalid datetime format. Expected \"YYYY-MM-DD HH:MM\" (e.g., \"2024-01-15 14:30\").");

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task A_body_that_is_not_declared_json_is_415(string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(ValidBody));
        if (contentType is not null) content.Headers.ContentType = new MediaTypeHeaderValue(contentType);

        var response = await Api.ClientFor(_token).PostAsync(Url, content, Ct);

        await AssertRejected(response, 415, "Content-Type must be application/json.");
    }

    [Fact]
    public async Task The_415_comes_before_the_400_checks()
    {
        var response = await Api.ClientFor(_token).PostAsync("/api/v0/user/trebolenergia/submit-purchase",
            new StringContent("not json"), Ct);

        await AssertRejected(response, 415, "Content-Type must be application/json.");
    }

    [Fact]
    public async Task Json_with_a_charset_is_accepted()
    {
        var content = new StringContent(ValidBody, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");

        Assert.Equal(201, (int)(await Api.ClientFor(_token).PostAsync(Url, content, Ct)).StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_before_any_json_check()
    {
        var body = new byte[32 * 1024 * 1024 + 1];
        Array.Fill(body, (byte)' ');
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await Api.ClientFor(_token).PostAsync(Url, content, Ct);

        await AssertRejected(response, 413, "Request body too large.");
    }

    [Fact]
    public async Task A_body_exactly_at_the_limit_is_read()
    {
        var json = Encoding.UTF8.GetBytes(ValidBody);
        var body = new byte[32 * 1024 * 1024];
        Array.Fill(body, (byte)' ');
        json.CopyTo(body, 0);
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await Api.ClientFor(_token).PostAsync(Url, content, Ct);

        Assert.Equal(201, (int)response.StatusCode);
    }
}
