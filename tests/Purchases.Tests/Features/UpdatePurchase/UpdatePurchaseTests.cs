using System.Net;
using System.Text.Json;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Features.UpdatePurchase;

public sealed class UpdatePurchaseTests(ApiFactory api) : ApiTest(api)
{
    const string Completed = """{"outputs": {"idmodel": 1, "result": [1.5, 2.25]}, "status": "completed", "error": ""}""";

    string _token = "";
    Guid _id;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _token = await Api.AddCustomerAsync("trebolenergia");
        _id = await Api.ClientFor(_token).SubmitAsync("trebolenergia");
    }

    async Task AssertUnchanged()
    {
        Assert.Equal("pending||", await Api.ScalarAsync<string>(
            "SELECT concat_ws('|', status, coalesce(error, ''), coalesce(strategy_output::text, '')) FROM purchases WHERE id = $1", _id));
    }

    [Fact]
    public async Task An_update_answers_the_contract_body_and_stores_outputs_status_and_error()
    {
        var response = await Api.ClientFor(_token).UpdateAsync("trebolenergia", _id,
            """{"outputs": {"idmodel": 1, "result": [1.5, 2.25]}, "status": "failed", "error": "solver timed out"}""");

        var body = await BodyOf(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_id.ToString(), body.GetProperty("id").GetString());
        Assert.Equal("failed", body.GetProperty("status").GetString());
        Assert.Equal("solver timed out", body.GetProperty("error").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", body.GetProperty("updated_at").GetString());
        Assert.Equal($"CustomerPurchase {_id} updated successfully", body.GetProperty("message").GetString());
        Assert.Equal("failed|solver timed out|{\"result\": [1.5, 2.25], \"idmodel\": 1}", await Api.ScalarAsync<string>(
            "SELECT concat_ws('|', status, error, strategy_output::text) FROM purchases WHERE id = $1", _id));
    }

    [Theory]
    [InlineData("""{"outputs": {}, "status": "completed"}""")]
    [InlineData("""{"outputs": {}, "status": "completed", "error": null}""")]
    public async Task An_omitted_or_null_error_is_stored_as_empty(string body)
    {
        var response = await Api.ClientFor(_token).UpdateAsync("trebolenergia", _id, body);

        Assert.Equal("", (await BodyOf(response)).GetProperty("error").GetString());
        Assert.Equal("", await Api.ScalarAsync<string>("SELECT error FROM purchases WHERE id = $1", _id));
    }

    [Fact]
    public async Task Outputs_replace_the_previous_ones()
    {
        var client = Api.ClientFor(_token);
        await client.UpdateAsync("trebolenergia", _id, """{"outputs": {"a": 1, "b": [1]}, "status": "in_progress"}""");

        await client.UpdateAsync("trebolenergia", _id, """{"outputs": {"c": true}, "status": "completed"}""");

        Assert.Equal("{\"c\": true}", await Api.ScalarAsync<string>("SELECT strategy_output::text FROM purchases WHERE id = $1", _id));
    }

    [Theory]
    [InlineData("pending", "in_progress")]
    [InlineData("completed", "pending")]
    [InlineData("failed", "completed")]
    [InlineData("in_progress", "failed")]
    public async Task Every_status_transition_is_allowed(string from, string to)
    {
        var client = Api.ClientFor(_token);
        await client.UpdateAsync("trebolenergia", _id, $$"""{"outputs": {}, "status": "{{from}}"}""");

        var response = await client.UpdateAsync("trebolenergia", _id, $$"""{"outputs": {}, "status": "{{to}}"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(to, await Api.ScalarAsync<string>("SELECT status FROM purchases WHERE id = $1", _id));
    }

    [Theory]
    [InlineData("", "Request body must be valid JSON.")]
    [InlineData("{\"outputs\": {}", "Request body must be valid JSON.")]
    [InlineData("""{"outputs": NaN, "status": "completed"}""", "Request body must be valid JSON.")]
    [InlineData("[]", "Missing required field \"outputs\".")]
    [InlineData("""{"status": "completed"}""", "Missing required field \"outputs\".")]
    [InlineData("""{"outputs": [], "status": "completed"}""", "Field \"outputs\" must be an object.")]
    [InlineData("""{"outputs": null, "status": "completed"}""", "Field \"outputs\" must be an object.")]
    [InlineData("""{"outputs": "{}", "status": "completed"}""", "Field \"outputs\" must be an object.")]
    [InlineData("""{"outputs": {}}""", "Missing required field \"status\".")]
    [InlineData("""{"outputs": {}, "status": "done"}""", "Field \"status\" must be one of: failed, pending, in_progress, completed.")]
    [InlineData("""{"outputs": {}, "status": "COMPLETED"}""", "Field \"status\" must be one of: failed, pending, in_progress, completed.")]
    [InlineData("""{"outputs": {}, "status": null}""", "Field \"status\" must be one of: failed, pending, in_progress, completed.")]
    [InlineData("""{"outputs": {}, "status": 1}""", "Field \"status\" must be one of: failed, pending, in_progress, completed.")]
    [InlineData("""{"outputs": {}, "status": "completed", "error": 5}""", "Field \"error\" must be a string.")]
    [InlineData("""{"outputs": {}, "status": "completed", "error": {"m": "x"}}""", "Field \"error\" must be a string.")]
    [InlineData("""{"outputs": [], "status": "done", "error": 5}""", "Field \"outputs\" must be an object.")]
    public async Task Each_body_check_answers_its_message_and_changes_nothing(string body, string message)
    {
        await AssertError(await Api.ClientFor(_token).UpdateAsync("trebolenergia", _id, body), 400, message);
        await AssertUnchanged();
    }

    [Fact]
    public async Task Body_checks_come_before_the_purchase_is_looked_up() =>
        await AssertError(await Api.ClientFor(_token).UpdateAsync("trebolenergia", Guid.NewGuid(), "{}"), 400,
            "Missing required field \"outputs\".");

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    public async Task An_unknown_or_malformed_id_is_not_found(string id) =>
        await AssertError(await Api.ClientFor(_token).UpdateAsync("trebolenergia", id, Completed), 404, "Purchase not found.");

    [Fact]
    public async Task A_body_not_declared_as_json_is_415()
    {
        var response = await Api.ClientFor(_token).PutAsync($"/api/v0/user/trebolenergia/purchase/{_id}/update",
            new StringContent(Completed), Ct);

        await AssertError(response, 415, "Content-Type must be application/json.");
        await AssertUnchanged();
    }

    [Fact]
    public async Task The_update_answer_uses_the_500_message_of_the_contract_on_a_fault()
    {
        await Api.ExecuteAsync("ALTER TABLE purchases ADD CONSTRAINT no_updates CHECK (status = 'pending') NOT VALID");
        try
        {
            await AssertError(await Api.ClientFor(_token).UpdateAsync("trebolenergia", _id, Completed), 500,
                "Internal server error while updating purchase.");
            await AssertUnchanged();
        }
        finally
        {
            await Api.ExecuteAsync("ALTER TABLE purchases DROP CONSTRAINT no_updates");
        }
    }

    [Fact]
    public async Task Update_then_get_round_trips_the_outputs_value_for_value()
    {
        const string outputs = """
            {"idmodel": "m-1", "big": 123456789012345678901234567890.123456789, "small": 1e-7, "neg": -0.0,
             "text": "ñandú \u00e9 \"quoted\"", "nested": {"list": [1, [2, {"x": null}], true, false]}, "empty": {}, "none": []}
            """;
        var client = Api.ClientFor(_token);
        await client.UpdateAsync("trebolenergia", _id, $$"""{"outputs": {{outputs}}, "status": "completed"}""");

        var got = (await BodyOf(await client.GetPurchaseAsync("trebolenergia", _id))).GetProperty("strategy_output");

        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(outputs).RootElement, got), got.GetRawText());
    }
}
