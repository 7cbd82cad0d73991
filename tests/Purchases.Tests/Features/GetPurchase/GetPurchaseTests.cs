using System.Net;
using System.Text.Json;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Features.GetPurchase;

public sealed class GetPurchaseTests(ApiFactory api) : ApiTest(api)
{
    string _token = "";
    Guid _id;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _token = await Api.AddCustomerAsync("trebolenergia");
        _id = await Api.ClientFor(_token).SubmitAsync("trebolenergia", "123");
    }

    async Task<JsonElement> Get(string query = "")
    {
        var response = await Api.ClientFor(_token).GetPurchaseAsync("trebolenergia", _id, query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await BodyOf(response);
    }

    async Task Update(string outputs) =>
        Assert.Equal(HttpStatusCode.OK, (await Api.ClientFor(_token).UpdateAsync("trebolenergia", _id,
            $$"""{"outputs": {{outputs}}, "status": "completed"}""")).StatusCode);

    [Fact]
    public async Task A_new_purchase_shows_every_field_with_null_output_and_error()
    {
        var body = await Get();

        Assert.Equal(_id.ToString(), body.GetProperty("id").GetString());
        Assert.Equal("pending", body.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("error").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("strategy_output").ValueKind);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", body.GetProperty("created_at").GetString());
        Assert.Equal(body.GetProperty("created_at").GetString(), body.GetProperty("updated_at").GetString());
        Assert.Equal(2, body.GetProperty("rows_uploaded").GetInt32());
        Assert.Equal("123", body.GetProperty("retailer_id").GetString());
        var workflow = body.GetProperty("workflow");
        Assert.Equal($"purchase-{_id}", workflow.GetProperty("name").GetString());
        Assert.Equal("pending", workflow.GetProperty("state").GetString());
        Assert.Equal(0, workflow.GetProperty("attempts").GetInt32());
        Assert.Equal(JsonValueKind.Null, workflow.GetProperty("submitted_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, workflow.GetProperty("last_error").ValueKind);
    }

    [Fact]
    public async Task After_an_update_the_status_error_and_output_are_shown()
    {
        await Api.ClientFor(_token).UpdateAsync("trebolenergia", _id, """{"outputs": {"k": [1]}, "status": "failed", "error": "boom"}""");

        var body = await Get();

        Assert.Equal("failed", body.GetProperty("status").GetString());
        Assert.Equal("boom", body.GetProperty("error").GetString());
        Assert.Equal("""{"k":[1]}""", JsonSerializer.Serialize(body.GetProperty("strategy_output")));
    }

    [Theory]
    [InlineData("""{"idmodel": 7, "v": 1}""", "7", """{"idmodel":7,"v":1}""")]
    [InlineData("""{"idmodel": "7", "v": 1}""", "7", """{"idmodel":"7","v":1}""")]
    [InlineData("""{"models": [{"idmodel": 1, "v": "a"}, {"idmodel": 2, "v": "b"}, {"idmodel": 2, "v": "c"}]}""", "2", """{"idmodel":2,"v":"b"}""")]
    [InlineData("""{"models": [{"idmodel": "123", "v": "a"}]}""", "123", """{"idmodel":"123","v":"a"}""")]
    [InlineData("""{"models": [{"idmodel": 123, "v": "a"}]}""", "123", """{"idmodel":123,"v":"a"}""")]
    [InlineData("""{"models": [5, "x", [{"idmodel": 1}], {"idmodel": 1, "v": "found"}]}""", "1", """{"idmodel":1,"v":"found"}""")]
    [InlineData("""{"idmodel": 1, "models": [{"idmodel": 2}]}""", "2", """{"idmodel":2}""")]
    [InlineData("""{"idmodel": 2, "models": [{"idmodel": 2, "inner": true}]}""", "2", """{"idmodel":2,"models":[{"idmodel":2,"inner":true}]}""")]
    public async Task The_idmodel_filter_picks_the_object_the_contract_names(string outputs, string idmodel, string expected)
    {
        await Update(outputs);

        var body = await Get($"?idmodel={idmodel}");

        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(expected).RootElement, body.GetProperty("strategy_output")),
            body.GetProperty("strategy_output").GetRawText());
    }

    [Theory]
    [InlineData("""{"idmodel": 7}""", "8")]
    [InlineData("""{"models": [{"idmodel": 1}]}""", "2")]
    [InlineData("""{"models": [[{"idmodel": 1}]]}""", "1")]
    [InlineData("""{"model": {"idmodel": 1}}""", "1")]
    [InlineData("""{"models": [{"idmodel": 1.0}]}""", "1")]
    [InlineData("""{"models": [{"idmodel": true}]}""", "true")]
    [InlineData("""{"models": [{"idmodel": null}]}""", "null")]
    public async Task No_match_gives_a_null_output_with_200(string outputs, string idmodel)
    {
        await Update(outputs);

        Assert.Equal(JsonValueKind.Null, (await Get($"?idmodel={idmodel}")).GetProperty("strategy_output").ValueKind);
    }

    [Fact]
    public async Task An_idmodel_before_any_update_gives_null() =>
        Assert.Equal(JsonValueKind.Null, (await Get("?idmodel=1")).GetProperty("strategy_output").ValueKind);

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    public async Task An_unknown_or_malformed_id_is_not_found(string id) =>
        await AssertError(await Api.ClientFor(_token).GetPurchaseAsync("trebolenergia", id), 404, "Purchase not found.");

    [Fact]
    public async Task A_fault_answers_the_contract_500_message()
    {
        await Api.ExecuteAsync("ALTER TABLE outbox_entries RENAME COLUMN attempts TO attempts_renamed");
        try
        {
            await AssertError(await Api.ClientFor(_token).GetPurchaseAsync("trebolenergia", _id), 500,
                "Internal server error while retrieving purchase.");
        }
        finally
        {
            await Api.ExecuteAsync("ALTER TABLE outbox_entries RENAME COLUMN attempts_renamed TO attempts");
        }
    }
}
