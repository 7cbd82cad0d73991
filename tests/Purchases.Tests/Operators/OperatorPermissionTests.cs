using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Operators;

/// <summary>Only operator tokens may use /api/v0/admin/*.</summary>
public sealed class OperatorPermissionTests(ApiFactory api) : ApiTest(api)
{
    public static TheoryData<string, string> AdminCalls => new()
    {
        { "GET", "/api/v0/admin/outbox" },
        { "GET", "/api/v0/admin/outbox/stats" },
        { "POST", "/api/v0/admin/outbox/00000000-0000-0000-0000-000000000000/replay" },
        { "POST", "/api/v0/admin/outbox/replay?state=failed" },
    };

    Task<HttpResponseMessage> Call(HttpClient client, string method, string url) =>
        client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url), Ct);

    [Theory]
    [MemberData(nameof(AdminCalls))]
    public async Task Without_a_token_it_is_401(string method, string url) =>
        await AssertDetail(await Call(Api.ClientWith(null), method, url), 401, "Authentication credentials were not provided.");

    [Theory]
    [MemberData(nameof(AdminCalls))]
    public async Task Customers_and_workers_are_forbidden(string method, string url)
    {
        var customer = Api.ClientFor(await Api.AddCustomerAsync("trebolenergia"));
        var worker = Api.ClientFor(await Api.IssueTokenAsync("worker", "argo"));

        await AssertDetail(await Call(customer, method, url), 403, "You do not have permission to perform this action.");
        await AssertDetail(await Call(worker, method, url), 403, "You do not have permission to perform this action.");
    }

    [Theory]
    [MemberData(nameof(AdminCalls))]
    public async Task Operators_are_let_in(string method, string url)
    {
        var response = await Call(Api.ClientFor(await Api.IssueTokenAsync("operator", "ops")), method, url);

        Assert.True((int)response.StatusCode is 200 or 404, $"{response.StatusCode}");
    }
}
