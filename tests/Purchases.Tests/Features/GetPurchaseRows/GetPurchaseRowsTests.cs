using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Features.GetPurchaseRows;

/// <summary>Reading back the stored schedule: every row as stored, JSON or CSV, the autumn hour, ownership, refusals.</summary>
public sealed class GetPurchaseRowsTests(ApiFactory api) : ApiTest(api)
{
    // Out of order, the autumn fall-back hour twice (02:00 CEST, then 02:00 CET), values with trailing zeros and many digits.
    const string Schedule = """
        {"purchase": [
          {"datetime": "2025-10-26 02:00", "purchase": 12.50},
          {"datetime": "2025-10-26 01:45", "purchase": 0.000001},
          {"datetime": "2025-10-26 02:00", "purchase": 123456789012.123456789},
          {"datetime": "2025-10-26 00:00", "purchase": -3}
        ]}
        """;

    string _customer = "";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _customer = await Api.AddCustomerAsync("trebolenergia");
    }

    async Task<Guid> SubmitAsync()
    {
        var response = await Api.ClientFor(_customer).PostAsync("/api/v0/user/trebolenergia/submit-purchase?retailer_id=123",
            new StringContent(Schedule, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await BodyOf(response)).GetProperty("id").GetGuid();
    }

    Task<HttpResponseMessage> RowsAsync(Guid id, string? accept = null, string user = "trebolenergia", string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v0/user/{user}/purchase/{id}/rows");
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        return Api.ClientFor(token ?? _customer).SendAsync(request, Ct);
    }

    [Fact]
    public async Task Json_gives_every_row_as_stored_in_submitted_order()
    {
        var id = await SubmitAsync();

        var response = await RowsAsync(id);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var body = await BodyOf(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(id, body.GetProperty("purchase_id").GetGuid());
        Assert.Equal(4, body.GetProperty("rows_uploaded").GetInt32());
        var rows = body.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2, 3], rows.Select(r => r.GetProperty("position").GetInt32()));
        Assert.Equal(["2025-10-26 02:00", "2025-10-26 01:45", "2025-10-26 02:00", "2025-10-26 00:00"],
            rows.Select(r => r.GetProperty("datetime").GetString()));
        Assert.Equal(["2025-10-26T00:00:00Z", "2025-10-25T23:45:00Z", "2025-10-26T01:00:00Z", "2025-10-25T22:00:00Z"],
            rows.Select(r => r.GetProperty("utc").GetString()));
        // The digits as sent: the raw JSON numbers, not a float's rendering of them.
        Assert.Equal(["12.50", "0.000001", "123456789012.123456789", "-3"], rows.Select(r => r.GetProperty("purchase").GetRawText()));
        Assert.Contains("\"purchase\":12.50}", text);
        // And what the database holds is what was answered.
        var stored = await Api.ScalarAsync<string>(
            "SELECT string_agg(mw::text, ' ' ORDER BY position) FROM purchase_rows WHERE purchase_id = $1", id);
        Assert.Equal("12.50 0.000001 123456789012.123456789 -3", stored);
    }

    [Fact]
    public async Task Csv_gives_the_same_rows_as_rfc_4180_with_a_header()
    {
        var id = await SubmitAsync();

        var response = await RowsAsync(id, "text/csv");
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal(
            "position,datetime,utc,purchase\r\n" +
            "0,2025-10-26 02:00,2025-10-26T00:00:00Z,12.50\r\n" +
            "1,2025-10-26 01:45,2025-10-25T23:45:00Z,0.000001\r\n" +
            "2,2025-10-26 02:00,2025-10-26T01:00:00Z,123456789012.123456789\r\n" +
            "3,2025-10-26 00:00,2025-10-25T22:00:00Z,-3\r\n", text);
        Assert.Contains("Accept", response.Headers.Vary);
    }

    [Theory]
    [InlineData("application/json", "application/json")]
    [InlineData("*/*", "application/json")]
    [InlineData("text/*", "text/csv")]
    [InlineData("application/json;q=0.5, text/csv", "text/csv")]
    [InlineData("text/csv;q=0.2, */*", "application/json")]
    [InlineData("text/html, text/csv;q=0.1", "text/csv")]
    public async Task The_accept_header_chooses_between_json_and_csv(string accept, string expected)
    {
        var id = await SubmitAsync();
        var response = await RowsAsync(id, accept);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_accept_header_that_allows_neither_is_406()
    {
        var id = await SubmitAsync();
        await AssertError(await RowsAsync(id, "text/html, application/xml"), 406, "Accept must allow application/json or text/csv.");
    }

    [Fact]
    public async Task A_year_of_rows_streams_back_whole()
    {
        var start = new DateTime(2025, 1, 1);
        var items = Enumerable.Range(0, 35040).Select(i => start.AddMinutes(15 * i))
            .Where(t => !(t.Month == 3 && t.Day == 30 && t.Hour == 2))   // the spring gap does not exist
            .Select(t => $$"""{"datetime": "{{t:yyyy-MM-dd HH:mm}}", "purchase": 1.25}""").ToList();
        var response = await Api.ClientFor(_customer).PostAsync("/api/v0/user/trebolenergia/submit-purchase?retailer_id=1",
            new StringContent($$"""{"purchase": [{{string.Join(",", items)}}]}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await BodyOf(response)).GetProperty("id").GetGuid();

        var json = await BodyOf(await RowsAsync(id));
        var csv = await (await RowsAsync(id, "text/csv")).Content.ReadAsStringAsync(Ct);

        Assert.Equal(items.Count, json.GetProperty("rows").GetArrayLength());
        Assert.Equal(items.Count - 1, json.GetProperty("rows")[items.Count - 1].GetProperty("position").GetInt32());
        Assert.Equal("2025-12-31 23:45", json.GetProperty("rows")[items.Count - 1].GetProperty("datetime").GetString());
        Assert.Equal(items.Count + 1, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Another_customers_purchase_is_404_and_their_route_is_403()
    {
        var id = await SubmitAsync();
        var other = await Api.AddCustomerAsync("otraenergia");

        await AssertError(await RowsAsync(id, user: "otraenergia", token: other), 404, "Purchase not found.");
        await AssertDetail(await RowsAsync(id, token: other), 403, "You do not have permission to perform this action.");
        await AssertError(await RowsAsync(Guid.NewGuid()), 404, "Purchase not found.");
        var notUuid = await Api.ClientFor(_customer).GetAsync("/api/v0/user/trebolenergia/purchase/not-a-uuid/rows", Ct);
        await AssertError(notUuid, 404, "Purchase not found.");
        var worker = await Api.IssueTokenAsync("worker", "argo");
        Assert.Equal(HttpStatusCode.OK, (await RowsAsync(id, token: worker)).StatusCode);
    }
}
