using NodaTime;
using Npgsql;
using System.Diagnostics;
using Purchases.Infrastructure.Argo;
using Purchases.Infrastructure.Observability;

using Purchases.Infrastructure.Webhooks;

namespace Purchases.Infrastructure.Reconcile;

public enum RetryAction { RetriedInPlace, Recreated }

public abstract record RetryWorkflowResult
{
    RetryWorkflowResult() { }

    public sealed record Done(RetryAction Action, int RetryCount) : RetryWorkflowResult;
    public sealed record WouldDo(RetryAction Action) : RetryWorkflowResult;
    public sealed record NotFound : RetryWorkflowResult;
    public sealed record NotFailed(string Status) : RetryWorkflowResult;
    public sealed record Refused(string Message) : RetryWorkflowResult;
    public sealed record ArgoUnavailable(string Error) : RetryWorkflowResult;
}

/// <summary>
/// Retries a failed purchase's workflow: in place with Argo's retry while the workflow exists (same name, so still one
/// workflow per purchase), or re-created through the outbox when Argo never accepted it or it was deleted. The
/// purchase goes back to pending with the retry counted; the change is guarded by the purchase still being failed.
/// </summary>
public static class WorkflowRetry
{
    public const string NotFailedMessage = "Only a failed purchase's workflow can be retried.";

    public static string RetriedMessage(string workflowName, RetryAction action) => action == RetryAction.RetriedInPlace
        ? $"Workflow {workflowName} retried in place."
        : $"Workflow {workflowName} queued to be created again.";

    public static string RefusedMessage(string argoMessage) => $"Argo refused the retry: {argoMessage}";

    public static string ArgoUnavailableMessage(string error) => $"Argo did not answer the retry: {error}";

    sealed record Target(string Status, string WorkflowName, string EntryState, string? TraceParent);

    /// <summary>A done retry changed the purchase's status: the caller nudges the outbox (its webhook deliveries, and
    /// for a re-creation its Argo entry).</summary>
    public static async Task<RetryWorkflowResult> RunAsync(NpgsqlDataSource dataSource, IArgoWorkflows argo,
        WebhookOptions webhooks, string purchaseId, string retriedBy, Instant now, bool dryRun, CancellationToken ct)
    {
        if (!Guid.TryParseExact(purchaseId, "D", out var id) || await FindAsync(dataSource, id, ct) is not { } target)
            return new RetryWorkflowResult.NotFound();
        if (target.Status != "failed") return new RetryWorkflowResult.NotFailed(target.Status);
        // The operator's request is its own trace; the span links to the purchase's.
        using var activity = PurchasesTelemetry.Source.StartActivity("workflow.retry", ActivityKind.Internal,
            parentContext: Activity.Current?.Context ?? default, links: PurchasesTelemetry.LinksTo([target.TraceParent]));
        activity?.SetTag("purchases.purchase_id", id.ToString("D"));

        var action = target.EntryState == "submitted" ? RetryAction.RetriedInPlace : RetryAction.Recreated;
        if (dryRun) return new RetryWorkflowResult.WouldDo(action);
        if (action == RetryAction.RetriedInPlace)
        {
            switch (await argo.RetryAsync(target.WorkflowName, ct))
            {
                case RetryOutcome.Refused refused: return new RetryWorkflowResult.Refused(refused.Message);
                case RetryOutcome.Failed failed: return new RetryWorkflowResult.ArgoUnavailable(failed.Error);
                case RetryOutcome.NotFound: action = RetryAction.Recreated; break;
            }
        }
        var count = await BackToPendingAsync(dataSource, webhooks, id, action, retriedBy, now, ct);
        return count is { } n ? new RetryWorkflowResult.Done(action, n) : new RetryWorkflowResult.NotFailed("pending");
    }

    static async Task<Target?> FindAsync(NpgsqlDataSource dataSource, Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT p.status, e.workflow_name, e.state, e.trace_parent FROM purchases p JOIN outbox_entries e ON e.purchase_id = p.id AND e.kind = 'argo.workflow.create'
            WHERE p.id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new Target(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3))
            : null;
    }

    /// <summary>
    /// One statement: the purchase (still failed) back to pending; retried in place, its workflow read at once; created
    /// again, its entry due now (and its workflow read once Argo accepts it).
    /// </summary>
    static async Task<int?> BackToPendingAsync(NpgsqlDataSource dataSource, WebhookOptions webhooks, Guid id, RetryAction action, string retriedBy,
        Instant now, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH {WebhookEvents.Ctes("""
                UPDATE purchases SET status = 'pending', error = NULL, updated_at = $2,
                       retry_count = retry_count + 1, last_retried_at = $2, last_retried_by = $3,
                       workflow_phase = CASE WHEN $4 THEN '' ELSE NULL END, workflow_message = NULL,
                       workflow_started_at = NULL, workflow_finished_at = NULL,
                       workflow_checked_at = NULL, workflow_next_check_at = CASE WHEN $4 THEN $2 END, workflow_changed_at = $2
                WHERE id = $1 AND status = 'failed'
                RETURNING id, "user", retailer_id, status, 'failed' AS previous_status, error, created_at, updated_at, retry_count
                """, first: 5)},
            entry AS (
                UPDATE outbox_entries e SET state = 'pending', attempts = 0, next_attempt_at = $2, locked_until = NULL,
                       locked_by = NULL, failed_at = NULL, replay_count = replay_count + 1, last_replayed_at = $2,
                       last_replayed_by = $3, updated_at = $2
                FROM changed WHERE NOT $4 AND e.purchase_id = changed.id AND e.kind = 'argo.workflow.create'
                RETURNING e.id)
            SELECT retry_count FROM changed
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = retriedBy });
        command.Parameters.Add(new NpgsqlParameter { Value = action == RetryAction.RetriedInPlace });
        WebhookEvents.AddParameters(command, webhooks, traceParent: null);
        return await command.ExecuteScalarAsync(ct) is int count ? count : null;
    }
}
