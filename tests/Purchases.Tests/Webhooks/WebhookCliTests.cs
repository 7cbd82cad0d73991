using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Purchases.Infrastructure.Outbox;
using Purchases.Infrastructure.Webhooks;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Webhooks;

/// <summary>
/// <c>webhooks add|list|rotate|remove</c> from a shell run the API's slices; a secret the CLI made signs the
/// service's deliveries (one Data Protection key ring in the database). And a delivery is refused at connect time
/// when the address is not public, whatever was registered.
/// </summary>
public sealed class WebhookCliTests(ApiFactory api, WebhookApiFactory service) : ApiTest(api), IClassFixture<WebhookApiFactory>
{
    const string PublicUrl = "https://93.184.215.14/hooks";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        service.Argo.Reset();
    }

    Task<CliResult> Run(params string[] args) => CliProcess.RunAsync(Api.ConnectionString, args);

    [Fact]
    public async Task Add_list_rotate_and_remove_from_the_shell()
    {
        var token = await Api.AddCustomerAsync("trebolenergia");

        var added = await Run("webhooks", "add", "trebolenergia", PublicUrl, "--event", "purchase.failed", "--json");

        Assert.Equal(0, added.ExitCode);
        var body = JsonDocument.Parse(added.Stdout).RootElement;
        var id = body.GetProperty("id").GetGuid();
        Assert.Matches("^whsec_", body.GetProperty("secret").GetString());
        Assert.Equal(["purchase.failed"], body.GetProperty("events").EnumerateArray().Select(e => e.GetString()));

        var api = await Api.ClientFor(token).GetStringAsync("/api/v0/user/trebolenergia/webhooks", Ct);
        var listed = await Run("webhooks", "list", "trebolenergia", "--json");
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(api).RootElement, JsonDocument.Parse(listed.Stdout).RootElement),
            $"API: {api}\nCLI: {listed.Stdout}");
        var table = await Run("webhooks", "list", "trebolenergia");
        Assert.Contains(id.ToString(), table.Stdout);
        Assert.DoesNotContain("whsec_", table.Stdout);
        Assert.EndsWith("1 endpoints.", table.Stdout.Trim());

        var rotated = await Run("webhooks", "rotate", "trebolenergia", id.ToString());
        Assert.Equal(0, rotated.ExitCode);
        Assert.StartsWith("Secret rotated.", rotated.Stdout);
        Assert.Matches(@"secret  whsec_\S+", rotated.Stdout);

        var removed = await Run("webhooks", "remove", "trebolenergia", id.ToString());
        Assert.Equal((0, $"Webhook endpoint {id} removed."), (removed.ExitCode, removed.Stdout.Trim()));
        var again = await Run("webhooks", "remove", "trebolenergia", id.ToString());
        Assert.Equal((1, "Webhook endpoint not found."), (again.ExitCode, again.Stderr.Trim()));
    }

    [Theory]
    [InlineData("https://10.1.2.3/hooks", "Webhook \"url\" must reach a public address; \"10.1.2.3\" is 10.1.2.3 (loopback, private and link-local addresses are refused).")]
    [InlineData("http://93.184.215.14/hooks", "Webhook \"url\" must use https.")]
    public async Task The_cli_refuses_what_the_api_refuses(string url, string message)
    {
        await Api.AddCustomerAsync("trebolenergia");

        var result = await Run("webhooks", "add", "trebolenergia", url);

        Assert.Equal((1, message), (result.ExitCode, result.Stderr.Trim()));
        Assert.Equal(0, await Api.ScalarAsync<long>("SELECT count(*) FROM webhook_endpoints"));
        var unknown = await Run("webhooks", "add", "nosuchcustomer", PublicUrl);
        Assert.Equal((1, "Customer not found."), (unknown.ExitCode, unknown.Stderr.Trim()));
        var badEvent = await Run("webhooks", "add", "trebolenergia", PublicUrl, "--event", "purchase.created");
        Assert.Equal(1, badEvent.ExitCode);
        Assert.StartsWith("Webhook \"events\" must list one or more of:", badEvent.Stderr.Trim());
    }

    [Fact]
    public async Task A_secret_made_by_the_cli_signs_the_services_deliveries()
    {
        var customer = await Api.AddCustomerAsync("trebolenergia");
        var worker = await Api.IssueTokenAsync("worker", "argo");
        await using var receiver = await WebhookReceiver.RunningAsync();
        var added = await CliProcess.RunAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Purchases"] = Api.ConnectionString,
            ["Webhooks__AllowHttp"] = "true", ["Webhooks__AllowPrivateAddresses"] = "true",
        }, "webhooks", "add", "trebolenergia", receiver.Url, "--event", "purchase.completed", "--json");
        Assert.Equal(0, added.ExitCode);
        var secret = JsonDocument.Parse(added.Stdout).RootElement.GetProperty("secret").GetString()!;
        Assert.True(await Api.ScalarAsync<long>(
            "SELECT count(*) FROM data_protection_keys WHERE xml LIKE '<key id=%' AND friendly_name LIKE 'key-%'") > 0);

        var (id, _) = await new WorkflowScenarios(Api, service, customer).SubmittedAsync();
        Assert.Equal(HttpStatusCode.OK, (await service.CreateClient().WithToken(worker)
            .UpdateAsync("trebolenergia", id, """{"outputs": {}, "status": "completed", "error": ""}""")).StatusCode);
        for (var i = 0; i < 200 && receiver.Accepted.IsEmpty; i++)
        {
            await service.DrainAsync();
            await Task.Delay(20, Ct);
        }

        var received = Assert.Single(receiver.Accepted.Values);
        Assert.True(WebhookVerifier.Verifies(secret, received.Id, received.Timestamp, received.Body, received.Signature));
    }

    [Fact]
    public async Task A_delivery_to_an_address_that_is_not_public_is_refused_when_connecting()
    {
        // Registered while the name was public (here: written directly), resolving to loopback when delivered.
        await using var receiver = await WebhookReceiver.RunningAsync();
        var customer = await Api.AddCustomerAsync("trebolenergia");
        var id = await Api.ClientFor(customer).SubmitAsync("trebolenergia");
        var secrets = Api.Services.GetRequiredService<WebhookSecrets>();
        await Api.ExecuteAsync("""
            INSERT INTO webhook_endpoints (id, "user", url, events, protected_secret, created_at, updated_at)
            VALUES (gen_random_uuid(), 'trebolenergia', $1, '{purchase.completed}', $2, now(), now())
            """, $"https://localhost:{receiver.Port}/hooks", secrets.Protect(WebhookSecrets.NewSecret()));
        var worker = Api.ClientFor(await Api.IssueTokenAsync("worker", "argo"));
        Assert.Equal(HttpStatusCode.OK,
            (await worker.UpdateAsync("trebolenergia", id, """{"outputs": {}, "status": "completed", "error": ""}""")).StatusCode);

        // This instance has the defaults (no Argo configured, private addresses refused); its drain sends deliveries
        // (the update's nudge may already be sending it).
        var entry = "";
        for (var i = 0; i < 200 && !entry.StartsWith("pending|1|"); i++)
        {
            await Api.Services.GetRequiredService<OutboxDrainer>().DrainAsync(Ct);
            entry = await Api.ScalarAsync<string>(
                "SELECT concat_ws('|', state, attempts, last_error) FROM outbox_entries WHERE kind = 'webhook.delivery'");
            await Task.Delay(20, Ct);
        }

        Assert.Empty(receiver.Requests);
        Assert.StartsWith("pending|1|", entry);
        Assert.Contains("localhost resolves to no public address; not delivered.", entry);
        Assert.Equal("pending", await Api.ScalarAsync<string>(
            "SELECT state FROM outbox_entries WHERE kind = 'argo.workflow.create'")); // Argo's entry waits for Argo
    }
}
