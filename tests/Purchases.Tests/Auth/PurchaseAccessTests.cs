using System.Net;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Auth;

/// <summary>Who may read and report on a purchase: its customer, workers and operators; nobody else learns it exists.</summary>
public sealed class PurchaseAccessTests(ApiFactory api) : ApiTest(api)
{
    const string Update = """{"outputs": {"idmodel": 1}, "status": "completed"}""";

    string _owner = "";
    Guid _id;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _owner = await Api.AddCustomerAsync("owner");
        _id = await Api.ClientFor(_owner).SubmitAsync("owner");
    }

    async Task<HttpClient> ClientAs(string who) => who switch
    {
        "owner" => Api.ClientFor(_owner),
        "other customer" => Api.ClientFor(await Api.AddCustomerAsync("other")),
        "worker" => Api.ClientFor(await Api.IssueTokenAsync("worker", "argo")),
        "operator" => Api.ClientFor(await Api.IssueTokenAsync("operator", "ops")),
        _ => throw new ArgumentOutOfRangeException(nameof(who)),
    };

    [Theory]
    [InlineData("owner", HttpStatusCode.OK)]
    [InlineData("other customer", HttpStatusCode.Forbidden)]
    [InlineData("worker", HttpStatusCode.OK)]
    [InlineData("operator", HttpStatusCode.OK)]
    public async Task Get_under_the_owners_user(string who, HttpStatusCode expected) =>
        Assert.Equal(expected, (await (await ClientAs(who)).GetPurchaseAsync("owner", _id)).StatusCode);

    [Theory]
    [InlineData("owner", HttpStatusCode.OK)]
    [InlineData("other customer", HttpStatusCode.Forbidden)]
    [InlineData("worker", HttpStatusCode.OK)]
    [InlineData("operator", HttpStatusCode.OK)]
    public async Task Update_under_the_owners_user(string who, HttpStatusCode expected)
    {
        var response = await (await ClientAs(who)).UpdateAsync("owner", _id, Update);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected == HttpStatusCode.OK ? "completed" : "pending",
            await Api.ScalarAsync<string>("SELECT status FROM purchases WHERE id = $1", _id));
    }

    [Theory]
    [InlineData("other customer", "other")]
    [InlineData("worker", "other")]
    [InlineData("operator", "other")]
    public async Task Under_another_user_the_purchase_does_not_exist(string who, string user)
    {
        var client = await ClientAs(who);

        await AssertError(await client.GetPurchaseAsync(user, _id), 404, "Purchase not found.");
        await AssertError(await client.UpdateAsync(user, _id, Update), 404, "Purchase not found.");
        Assert.Equal("pending", await Api.ScalarAsync<string>("SELECT status FROM purchases WHERE id = $1", _id));
    }

    [Fact]
    public async Task A_forbidden_customer_gets_the_contract_detail()
    {
        var client = await ClientAs("other customer");

        await AssertDetail(await client.GetPurchaseAsync("owner", _id), 403, "You do not have permission to perform this action.");
        await AssertDetail(await client.UpdateAsync("owner", _id, "not json"), 403, "You do not have permission to perform this action.");
    }

    [Fact]
    public async Task A_revoked_or_missing_token_gets_401_on_get_and_update()
    {
        Assert.Equal(0, (await CliProcess.RunAsync(Api.ConnectionString, "tokens", "revoke", _owner)).ExitCode);

        await AssertDetail(await Api.ClientFor(_owner).GetPurchaseAsync("owner", _id), 401, "Invalid token.");
        await AssertDetail(await Api.ClientFor(_owner).UpdateAsync("owner", _id, Update), 401, "Invalid token.");
        await AssertDetail(await Api.ClientWith(null).GetPurchaseAsync("owner", _id), 401, "Authentication credentials were not provided.");
    }
}
