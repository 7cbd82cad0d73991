using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Api;

/// <summary>Errors that no endpoint writes still answer in the contract's JSON.</summary>
public sealed class RoutingErrorTests(ApiFactory api) : ApiTest(api)
{
    [Theory]
    [InlineData("/api/v0/nothing-here")]
    [InlineData("/api/v1/user/x/submit-purchase")]
    [InlineData("/")]
    public async Task An_unknown_route_is_a_json_404(string url) =>
        await AssertError(await Api.ClientWith(null).GetAsync(url, Ct), 404, "Not found.");

    [Fact]
    public async Task A_known_route_with_another_method_is_a_json_405_with_allow()
    {
        var response = await Api.ClientWith(null).GetAsync("/api/v0/user/x/submit-purchase", Ct);

        await AssertError(response, 405, "Method not allowed.");
        Assert.Contains("POST", response.Content.Headers.Allow);
    }
}
