using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Purchases.Tests.Faults;
using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Reconcile;

/// <summary>
/// The scheduled reconciler in the service as a real process: nobody calls it, yet a workflow that fails in Argo
/// fails its purchase within a few intervals, and readiness and the API keep answering throughout.
/// </summary>
public sealed class ReconcileJobTests
{
    [Fact(Timeout = 120_000)]
    public async Task The_service_fails_a_purchase_whose_workflow_failed_without_being_asked()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await FaultDatabase.StartAsync();
        await using var argo = await FakeArgo.StartAsync();
        var token = await database.AddCustomerAsync("watched");
        await using var service = await ServiceProcess.StartAsync(database.ConnectionString, new Dictionary<string, string>
        {
            ["Argo:BaseUrl"] = argo.BaseUrl.ToString(),
            ["Reconcile:Interval"] = "00:00:00.500",
            ["RateLimiting:Enabled"] = "false",
        }, ct: ct);
        using var client = service.CreateClient(token);

        using var submitted = await client.PostAsync(Schedules.SubmitUrl("watched", "r1"), Schedules.Json(Schedules.OneDay(1)), ct);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var id = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("id").GetGuid();
        await argo.WaitForWorkflowAsync($"purchase-{id}", TimeSpan.FromSeconds(10));
        argo.SetPhase($"purchase-{id}", "Failed", "OOMKilled (exit code 137)");

        var waited = Stopwatch.StartNew();
        JsonElement purchase;
        do
        {
            await Task.Delay(200, ct);
            using var got = await client.GetAsync($"/api/v0/user/watched/purchase/{id}/get", ct);
            Assert.Equal(HttpStatusCode.OK, got.StatusCode);
            purchase = JsonDocument.Parse(await got.Content.ReadAsStringAsync(ct)).RootElement.Clone();
        } while (purchase.GetProperty("status").GetString() != "failed" && waited.Elapsed < TimeSpan.FromSeconds(30));

        Assert.Equal("failed", purchase.GetProperty("status").GetString());
        Assert.Equal("Argo workflow Failed: OOMKilled (exit code 137)", purchase.GetProperty("error").GetString());
        Assert.Equal("Failed", purchase.GetProperty("workflow").GetProperty("phase").GetString());
        Assert.Equal("failed", await database.ScalarAsync<string>("SELECT status FROM purchases WHERE id = $1", id));
        Assert.Empty(argo.NonConforming);
    }
}
