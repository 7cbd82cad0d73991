using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Abuse;

/// <summary>Every endpoint against every kind of caller: who gets in, and what everyone else gets.</summary>
public sealed class AccessMatrixTests(ApiFactory api) : ApiTest(api)
{
    public static TheoryData<string, string, int> Matrix()
    {
        // caller, operation, expected status (the owner is "trebolenergia"; its purchase exists)
        var data = new TheoryData<string, string, int>();
        var expected = new Dictionary<string, int[]>
        {
            //                        owner other worker operator none revoked
            ["submit"] = [201, 403, 403, 201, 401, 401],
            ["get"] = [200, 403, 200, 200, 401, 401],
            ["update"] = [200, 403, 200, 200, 401, 401],
            ["list"] = [403, 403, 403, 200, 401, 401],
            ["stats"] = [403, 403, 403, 200, 401, 401],
            ["replay one"] = [403, 403, 403, 200, 401, 401],
            ["replay all"] = [403, 403, 403, 200, 401, 401],
        };
        string[] callers = ["owner", "other customer", "worker", "operator", "no token", "revoked token"];
        foreach (var (operation, statuses) in expected)
            for (var i = 0; i < callers.Length; i++)
                data.Add(callers[i], operation, statuses[i]);
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_caller_gets_what_its_role_allows(string caller, string operation, int expected)
    {
        var owner = await Api.AddCustomerAsync("trebolenergia");
        var purchase = await Api.ClientFor(owner).SubmitAsync("trebolenergia");
        var entry = await Api.ScalarAsync<Guid>("SELECT id FROM outbox_entries");
        var token = caller switch
        {
            "owner" => owner,
            "other customer" => await Api.AddCustomerAsync("othercustomer"),
            "worker" => await Api.IssueTokenAsync("worker", "argo"),
            "operator" => await Api.IssueTokenAsync("operator", "ops"),
            "revoked token" => await Revoked(),
            _ => null,
        };
        var client = token is null ? Api.ClientWith(null) : Api.ClientFor(token);
        var before = await Api.ScalarAsync<long>("SELECT count(*) FROM purchases");

        var response = operation switch
        {
            "submit" => await client.PostAsync("/api/v0/user/trebolenergia/submit-purchase?retailer_id=1", Json(PurchaseApi.OneDay), Ct),
            "get" => await client.GetPurchaseAsync("trebolenergia", purchase),
            "update" => await client.UpdateAsync("trebolenergia", purchase, """{"outputs": {}, "status": "completed"}"""),
            "list" => await client.GetAsync("/api/v0/admin/outbox", Ct),
            "stats" => await client.GetAsync("/api/v0/admin/outbox/stats", Ct),
            "replay one" => await client.PostAsync($"/api/v0/admin/outbox/{entry}/replay", null, Ct),
            _ => await client.PostAsync("/api/v0/admin/outbox/replay?state=failed", null, Ct),
        };

        Assert.Equal(expected, (int)response.StatusCode);
        var body = await BodyOf(response);
        if (expected is 401 or 403) Assert.True(body.TryGetProperty("detail", out _));
        if (expected >= 400)
        {
            Assert.Equal(before, await Api.ScalarAsync<long>("SELECT count(*) FROM purchases"));
            Assert.Equal("pending", await Api.ScalarAsync<string>("SELECT status FROM purchases WHERE id = $1", purchase));
            Assert.Equal(0, await Api.ScalarAsync<int>("SELECT replay_count FROM outbox_entries WHERE id = $1", entry));
        }
    }

    async Task<string> Revoked()
    {
        var token = await Api.IssueTokenAsync("operator", "former-ops");
        await using var command = Api.DataSource.CreateCommand("UPDATE api_tokens SET revoked_at = now() WHERE name = 'former-ops'");
        await command.ExecuteNonQueryAsync(Ct);
        return token;
    }
}
