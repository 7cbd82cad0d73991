using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Purchases.Tests.Api;

/// <summary>With the database unreachable, a request answers 503 with Retry-After, never a 500.</summary>
public sealed class DatabaseUnreachableTests
{
    internal sealed class UnreachableDatabaseFactory : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConnectionStrings:Purchases", $"Host=127.0.0.1;Port={ClosedPort()};Username=postgres;Database=x;Timeout=3");
        }

        static int ClosedPort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }

    [Fact]
    public async Task Submit_answers_503_with_retry_after()
    {
        await using var factory = new UnreachableDatabaseFactory();
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer pur_some-token");

        var response = await client.PostAsync("/api/v0/user/x/submit-purchase?retailer_id=1",
            new StringContent("""{"purchase": [{"datetime": "2025-11-11 00:15", "purchase": 1}]}""",
                System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("""{"error":"Service temporarily unavailable, please retry."}""",
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task Readyz_answers_503_with_the_database_unreachable_and_healthz_stays_200()
    {
        await using var factory = new UnreachableDatabaseFactory();
        var client = factory.CreateClient();

        var ready = await client.GetAsync("/readyz", TestContext.Current.CancellationToken);
        var alive = await client.GetAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var body = System.Text.Json.JsonDocument.Parse(await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal("unreachable", body.GetProperty("database").GetString());
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }
}
