using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Api;

/// <summary>With rate limiting on, each token has its own bucket; over it, 429 with the contract's body and Retry-After.</summary>
public sealed class RateLimitingTests(ApiFactory api) : ApiTest(api)
{
    sealed class RateLimitedFactory : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConnectionStrings:Purchases", TestDatabase.Shared.ConnectionString);
            builder.UseSetting("RateLimiting:Enabled", "true");
            builder.UseSetting("RateLimiting:PermitsPerSecond", "1");
            builder.UseSetting("RateLimiting:Burst", "3");
        }
    }

    [Fact]
    public async Task Over_the_limit_a_token_gets_429_while_another_token_is_unaffected()
    {
        var first = await Api.AddCustomerAsync("trebolenergia");
        var second = await Api.AddCustomerAsync("othercustomer");
        await using var factory = new RateLimitedFactory();
        HttpClient ClientFor(string token) => factory.CreateClient().WithToken(token);
        var id = await ClientFor(first).SubmitAsync("trebolenergia");

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 6 && limited is null; i++)
        {
            var response = await ClientFor(first).GetPurchaseAsync("trebolenergia", id);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited = response;
        }

        Assert.NotNull(limited);
        await AssertError(limited, 429, "Too many requests.");
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.NotFound,
            (await ClientFor(second).GetPurchaseAsync("othercustomer", Guid.NewGuid())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/healthz", Ct)).StatusCode);
    }
}
