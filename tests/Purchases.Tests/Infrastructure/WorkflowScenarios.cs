using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Infrastructure;

/// <summary>Purchases whose workflows are in a given state, made through the API, the drain and the reconciler.</summary>
public sealed class WorkflowScenarios(ApiFactory api, DrainingApiFactory service, string customerToken, string user = "trebolenergia")
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Drains until no entry is pending (a submit's nudge may already be draining in the background).</summary>
    public async Task AllSubmittedAsync()
    {
        for (var i = 0; i < 200; i++)
        {
            await service.DrainAsync();
            if (await api.ScalarAsync<long>("SELECT count(*) FROM outbox_entries WHERE state = 'pending'") == 0) return;
            await Task.Delay(25, Ct);
        }
        Assert.Fail("entries did not reach Argo");
    }

    /// <summary>A purchase whose workflow Argo accepted.</summary>
    public async Task<(Guid Id, string Workflow)> SubmittedAsync(string retailerId = "123")
    {
        var id = await service.CreateClient().WithToken(customerToken).SubmitAsync(user, retailerId);
        await AllSubmittedAsync();
        return (id, $"purchase-{id}");
    }

    /// <summary>A purchase the reconciler failed after Argo's state was set by <paramref name="argoState"/> (default: Failed).</summary>
    public async Task<(Guid Id, string Workflow)> FailedAsync(Action<string>? argoState = null, string retailerId = "123")
    {
        var (id, workflow) = await SubmittedAsync(retailerId);
        (argoState ?? (w => service.Argo.SetPhase(w, "Failed", "Error (exit code 1)")))(workflow);
        await ReconcileNowAsync();
        Assert.Equal("failed", await api.ScalarAsync<string>("SELECT status FROM purchases WHERE id = $1", id));
        return (id, workflow);
    }

    /// <summary>A purchase whose workflow runs but showed no progress for two hours (stuck with the default StuckAfter).</summary>
    public async Task<(Guid Id, string Workflow)> StuckAsync()
    {
        var (id, workflow) = await SubmittedAsync();
        service.Argo.SetPhase(workflow, "Running");
        await ReconcileNowAsync();
        await api.ExecuteAsync("""
            UPDATE purchases SET updated_at = now() - interval '2 hours', created_at = created_at - interval '2 hours',
                                 workflow_changed_at = now() - interval '2 hours'
            WHERE id = $1
            """, id);
        return (id, workflow);
    }

    /// <summary>Reconciles every purchase that is not final now, as if its next read were due.</summary>
    public async Task ReconcileNowAsync()
    {
        await api.ExecuteAsync("UPDATE purchases SET workflow_next_check_at = now() WHERE workflow_next_check_at IS NOT NULL");
        await service.ReconcileAsync();
    }
}
