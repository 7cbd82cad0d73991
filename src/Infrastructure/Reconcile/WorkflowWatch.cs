using System.Threading.Channels;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Argo;
using Purchases.Infrastructure.Persistence;
using Quartz;

namespace Purchases.Infrastructure.Reconcile;

/// <summary>
/// The reconciler's accelerator. Argo's watch reports our workflows' changes as they happen; a purchase that is not
/// final and whose workflow shows a phase other than the one recorded is made due now, and the reconcile job runs at
/// once: a failure shows in seconds instead of at the next read (up to <c>Reconcile:MaxInterval</c> for a long run).
/// The reconciler still reads and decides; the watch only says when. Reads go on at their interval regardless, so a
/// watch Argo refuses (no <c>watch</c> permission) or drops costs latency, never a purchase.
/// </summary>
public sealed class WorkflowWatch(ArgoWorkflowWatch argo, NpgsqlDataSource dataSource, IClock clock, ISchedulerFactory schedulers,
    IOptions<ReconcileOptions> options, ReconcileMetrics metrics, ILogger<WorkflowWatch> logger) : BackgroundService
{
    const int MaxBatch = 1_000;
    static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        if (!options.Value.Enabled || !options.Value.Watch || !argo.IsConfigured) return;
        // Full, the reader waits: the stream backs up into Argo rather than a change being dropped (a burst of 16,000
        // changes, dropping the oldest beyond 10,000, left 1,311 purchases to their next read, 45 s later).
        var changes = Channel.CreateBounded<WorkflowChange>(new BoundedChannelOptions(2 * MaxBatch)
        {
            FullMode = BoundedChannelFullMode.Wait, SingleReader = true, SingleWriter = true,
        });
        try
        {
            await Task.WhenAll(FollowAsync(changes.Writer, ct), RecordAsync(changes.Reader, ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    async Task FollowAsync(ChannelWriter<WorkflowChange> changes, CancellationToken ct)
    {
        string? version = null;
        var backoff = FirstBackoff;
        while (!ct.IsCancellationRequested)
        {
            var received = 0;
            try
            {
                await foreach (var change in argo.WatchAsync(version, () => metrics.Watching(true), ct))
                {
                    received++;
                    version = change.ResourceVersion ?? version;
                    await changes.WriteAsync(change, ct);
                }
                logger.LogDebug("Argo ended its workflow watch after {Changes} changes; following on from {ResourceVersion}", received, version);
            }
            catch (WorkflowWatchException e) when (e.Expired)
            {
                logger.LogInformation("Argo's workflow watch lost its place ({Error}); starting over from every workflow", e.Message);
                version = null;
                continue;
            }
            catch (Exception e) when (!ct.IsCancellationRequested) // an accelerator never stops the service
            {
                logger.LogWarning("Argo's workflow watch failed ({Status}): {Error}. Workflows are still read every {Interval}; retrying the watch in {Backoff}",
                    (e as WorkflowWatchException)?.Status, e is OperationCanceledException ? $"silent for {ArgoWorkflowWatch.Silence}" : e.Message,
                    options.Value.Interval, received > 0 ? FirstBackoff : backoff);
            }
            metrics.Watching(false);
            if (received > 0) backoff = FirstBackoff;
            await Task.Delay(backoff, ct);
            backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
        }
    }

    async Task RecordAsync(ChannelReader<WorkflowChange> changes, CancellationToken ct)
    {
        var batch = new List<WorkflowChange>();
        while (await changes.WaitToReadAsync(ct))
        {
            batch.Clear();
            var seen = 0;
            // A workflow Argo's controller has not seen yet shows no phase: nothing to read, so no round trip for the
            // change every creation makes (the reconciler reads new workflows at its interval, as without the watch).
            for (; seen < MaxBatch && changes.TryRead(out var change); seen++)
                if (change.Phase != WorkflowPhase.Unknown) batch.Add(change);
            try
            {
                var due = batch.Count == 0 ? 0 : await MarkDueAsync(batch, ct);
                metrics.Watched(due, seen - due);
                if (due > 0) await (await schedulers.GetScheduler(ct)).TriggerJob(ReconcileJob.Key, ct);
            }
            catch (Exception e) when (ApiErrors.IsDatabaseUnavailable(e))
            {
                logger.LogWarning("Workflow changes from Argo's watch not recorded, the database is unavailable: {Reason}", e.GetBaseException().Message);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                logger.LogError(e, "Workflow changes from Argo's watch not recorded; they are read at their interval");
            }
        }
    }

    /// <summary>How many of the changes are news: a purchase not final whose workflow shows another phase than the one recorded.</summary>
    async Task<int> MarkDueAsync(IReadOnlyList<WorkflowChange> batch, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            WITH news AS (
                SELECT DISTINCT p.id, p.workflow_next_check_at AS next
                FROM purchases p JOIN unnest($1::uuid[], $2::text[]) AS c(id, phase) ON c.id = p.id
                WHERE p.status IN ('pending', 'in_progress') AND p.workflow_phase IS DISTINCT FROM c.phase),
            due AS (
                UPDATE purchases p SET workflow_next_check_at = $3 FROM news WHERE p.id = news.id AND news.next > $3)
            SELECT count(*)::int FROM news
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(c => c.PurchaseId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(c => c.Phase).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetCurrentInstant() });
        return (int)(await command.ExecuteScalarAsync(ct))!;
    }
}
