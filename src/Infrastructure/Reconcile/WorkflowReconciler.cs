using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Purchases.Infrastructure.Argo;
using Purchases.Infrastructure.Observability;
using Purchases.Infrastructure.Outbox;
using Purchases.Infrastructure.Persistence;
using Purchases.Infrastructure.Webhooks;

namespace Purchases.Infrastructure.Reconcile;

/// <summary>
/// Follows every workflow Argo accepted until its purchase is final: claims due purchases (not final, entry
/// submitted, <c>workflow_next_check_at</c> passed: the drain sets the first when Argo accepts) by stamping when they
/// were read and when they are due again (for a workflow pending or running without progress, a tenth of how long it
/// has shown none, between <see cref="ReconcileOptions.Interval"/> and <see cref="ReconcileOptions.MaxInterval"/>;
/// else the interval), reads the workflows' phases outside any transaction (one list by label selector per 50, a GET
/// for each the list lacks), records them (a new phase: due again an interval later), and fails the purchase when the workflow failed, was
/// deleted, or succeeded without reporting back. Every transition is guarded in SQL by the purchase still not being
/// final, so a report-back (update-purchase) always wins, whichever commits first.
/// </summary>
public sealed class WorkflowReconciler(
    NpgsqlDataSource dataSource,
    IArgoWorkflows argo,
    IOptions<ArgoOptions> argoOptions,
    IOptions<ReconcileOptions> options,
    IOptions<WebhookOptions> webhooks,
    OutboxSignal outbox,
    IClock clock,
    ReconcileMetrics metrics,
    ILogger<WorkflowReconciler> logger)
{
    public const string DeletedError = "workflow was deleted";
    public const string NoReportError = "workflow finished without reporting results";

    /// <summary>The phases of a workflow still on its way (<c>""</c>: not yet seen by Argo's controller), in SQL.</summary>
    const string Unfinished = "('', 'Pending', 'Running')";

    /// <param name="ClaimedAt">The claim's stamp (<c>workflow_checked_at</c>): a reading is recorded only while it is still the last claim's.</param>
    sealed record Claimed(Guid PurchaseId, string WorkflowName, Instant? LastRetriedAt, string? TraceParent, Instant ClaimedAt);

    sealed record Reading(Claimed Purchase, WorkflowReading.Found Found);

    sealed record Transition(Guid PurchaseId, string Error, string Reason);

    /// <summary>Reconciles until nothing is due or the run budget is spent; returns the purchases read.</summary>
    public async Task<int> ReconcileAsync(CancellationToken ct)
    {
        if (!argoOptions.Value.IsConfigured) return 0;
        var budget = Stopwatch.StartNew();
        var read = 0;
        while (!ct.IsCancellationRequested && budget.Elapsed < options.Value.RunBudget)
        {
            var batch = await ClaimAsync(ct);
            if (batch.Count == 0) break;
            read += batch.Count;
            await ReconcileBatchAsync(batch, ct);
        }
        return read;
    }

    async Task ReconcileBatchAsync(IReadOnlyList<Claimed> batch, CancellationToken ct)
    {
        // One span a batch, linked to each purchase's trace (a batch belongs to no single purchase).
        using var activity = PurchasesTelemetry.Source.StartActivity("reconcile.batch", ActivityKind.Internal,
            parentContext: default, links: PurchasesTelemetry.LinksTo(batch.Select(b => b.TraceParent)));
        activity?.SetTag("purchases.reconcile.batch_size", batch.Count);
        var now = clock.GetCurrentInstant();
        var readings = new ConcurrentQueue<Reading>();
        var deleted = new ConcurrentQueue<Claimed>();
        var unreadable = 0;
        // One list call per chunk; a workflow the list does not show is read on its own (a GET is authoritative:
        // Argo's list comes from its server's cache, so a missing one may be new, archived or really gone).
        var missing = new ConcurrentQueue<Claimed>();
        await Parallel.ForEachAsync(batch.Chunk(IArgoWorkflows.MaxListed),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.Parallelism, CancellationToken = ct },
            async (chunk, token) =>
            {
                switch (await argo.ListAsync(chunk.Select(c => c.PurchaseId).ToList(), token))
                {
                    case WorkflowListing.Listed listed:
                        foreach (var purchase in chunk)
                            if (listed.Workflows.TryGetValue(purchase.WorkflowName, out var found)) readings.Enqueue(new Reading(purchase, found));
                            else missing.Enqueue(purchase);
                        break;
                    default:
                        Interlocked.Add(ref unreadable, chunk.Length);
                        break;
                }
            });
        await Parallel.ForEachAsync(missing,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.Parallelism, CancellationToken = ct },
            async (purchase, token) =>
            {
                switch (await argo.ReadAsync(purchase.WorkflowName, token))
                {
                    case WorkflowReading.Found found: readings.Enqueue(new Reading(purchase, found)); break;
                    case WorkflowReading.NotFound: deleted.Enqueue(purchase); break;
                    default: Interlocked.Increment(ref unreadable); break;
                }
            });
        metrics.Read(readings.Count, deleted.Count, unreadable);

        var transitions = readings.Select(r => TransitionFor(r, now)).OfType<Transition>()
            .Concat(deleted.Select(d => new Transition(d.PurchaseId, DeletedError, "deleted"))).ToList();
        await WriteAsync(readings.ToList(), deleted.ToList(), transitions, now, ct);
        if (unreadable > 0)
            logger.LogWarning("Could not read {Count} of {Total} workflows from Argo; they are read again in {Interval}",
                unreadable, batch.Count, options.Value.Interval);
    }

    Transition? TransitionFor(Reading reading, Instant now)
    {
        var (purchase, found) = (reading.Purchase, reading.Found);
        var finished = found.FinishedAt is { } f ? Instant.FromDateTimeOffset(f) : (Instant?)null;
        switch (found.Phase)
        {
            // A Failed reading from before the last retry is the old run's (the retry resets finishedAt).
            case WorkflowPhase.Failed or WorkflowPhase.Error
                when purchase.LastRetriedAt is not { } retried || finished is null || finished > retried:
                var message = string.IsNullOrWhiteSpace(found.Message) ? "no message from Argo" : found.Message.Trim();
                return new Transition(purchase.PurchaseId, $"Argo workflow {found.Phase}: {message}", found.Phase.ToLowerInvariant());
            case WorkflowPhase.Succeeded when finished is { } done && done + Duration.FromTimeSpan(options.Value.ReportGrace) <= now:
                return new Transition(purchase.PurchaseId, NoReportError, "no_report");
            default:
                return null;
        }
    }

    async Task<IReadOnlyList<Claimed>> ClaimAsync(CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        await using var command = dataSource.CreateCommand($"""
            WITH due AS (
                SELECT p.id FROM purchases p
                WHERE p.status IN ('pending', 'in_progress')
                  AND p.workflow_next_check_at <= $1
                  AND EXISTS (SELECT 1 FROM outbox_entries o WHERE o.purchase_id = p.id AND o.kind = 'argo.workflow.create' AND o.state = 'submitted')
                ORDER BY p.workflow_next_check_at
                LIMIT $2
                FOR UPDATE OF p SKIP LOCKED)
            UPDATE purchases p SET workflow_checked_at = $1, workflow_next_check_at = $1 + CASE
                    WHEN p.workflow_phase IN {Unfinished}
                    THEN greatest($3, least($4, ($1 - {WorkflowStatistics.LastProgress}) / 10))
                    ELSE $3 END
            FROM due, outbox_entries o
            WHERE p.id = due.id AND o.purchase_id = p.id AND o.kind = 'argo.workflow.create'
            RETURNING p.id, o.workflow_name, p.last_retried_at, o.trace_parent, p.workflow_checked_at
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = options.Value.BatchSize });
        command.Parameters.Add(new NpgsqlParameter { Value = Duration.FromTimeSpan(options.Value.Interval) });
        command.Parameters.Add(new NpgsqlParameter { Value = Duration.FromTimeSpan(options.Value.MaxInterval) });
        var claimed = new List<Claimed>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            claimed.Add(new Claimed(reader.GetGuid(0), reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<Instant>(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetFieldValue<Instant>(4)));
        return claimed;
    }

    async Task WriteAsync(IReadOnlyList<Reading> readings, IReadOnlyList<Claimed> deleted, IReadOnlyList<Transition> transitions,
        Instant now, CancellationToken ct)
    {
        if (readings.Count + deleted.Count == 0) return;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);

        var phases = readings.Select(r => (r.Purchase, r.Found.Phase, r.Found.Message, r.Found.StartedAt, r.Found.FinishedAt))
            .Concat(deleted.Select(d => (Purchase: d, Phase: WorkflowPhase.Deleted, Message: (string?)null,
                StartedAt: (DateTimeOffset?)null, FinishedAt: (DateTimeOffset?)null)))
            .ToList();
        // A reading that shows no new phase keeps the next read the claim set, so the row's indexed columns stay as
        // they are and PostgreSQL can update it in place (HOT): at scale, that is nearly every reading. A new phase is
        // read again an interval later, or sooner if the watch made it due meanwhile. A purchase claimed again since
        // (made due by the watch, taken by another instance) keeps the newer run's reading.
        await using (var record = new NpgsqlCommand($"""
            UPDATE purchases p SET
                workflow_changed_at = CASE WHEN p.workflow_phase IS DISTINCT FROM r.phase THEN $6 ELSE p.workflow_changed_at END,
                workflow_next_check_at = CASE
                    WHEN p.workflow_phase IS NOT DISTINCT FROM r.phase AND r.phase IN {Unfinished}
                    THEN p.workflow_next_check_at ELSE least(p.workflow_next_check_at, $6 + $7) END,
                workflow_phase = r.phase, workflow_message = r.message,
                workflow_started_at = r.started_at, workflow_finished_at = r.finished_at
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $8::timestamptz[])
                AS r(id, phase, message, started_at, finished_at, claimed_at)
            WHERE p.id = r.id AND p.workflow_checked_at = r.claimed_at
            """, connection, transaction))
        {
            record.Parameters.Add(new NpgsqlParameter { Value = phases.Select(p => p.Purchase.PurchaseId).ToArray() });
            record.Parameters.Add(new NpgsqlParameter { Value = phases.Select(p => p.Phase).ToArray() });
            record.Parameters.Add(new NpgsqlParameter { Value = phases.Select(p => p.Message).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            record.Parameters.Add(new NpgsqlParameter { Value = phases.Select(p => Timestamp(p.StartedAt)).ToArray() });
            record.Parameters.Add(new NpgsqlParameter { Value = phases.Select(p => Timestamp(p.FinishedAt)).ToArray() });
            record.Parameters.Add(new NpgsqlParameter { Value = now });
            record.Parameters.Add(new NpgsqlParameter { Value = Duration.FromTimeSpan(options.Value.Interval) });
            record.Parameters.Add(new NpgsqlParameter { Value = phases.Select(p => p.Purchase.ClaimedAt).ToArray() });
            await record.ExecuteNonQueryAsync(ct);
        }

        var failed = new HashSet<Guid>();
        var deliveries = 0L;
        if (transitions.Count > 0)
        {
            // The previous statuses locked and read once: as a subquery in the FROM, the planner (expecting one
            // purchase still pending) re-ran it for every purchase of the batch, 11,000 buffers a batch of 50 (1,200 now).
            await using var fail = new NpgsqlCommand(WebhookEvents.WithDeliveries("""
                WITH old AS MATERIALIZED (SELECT id, status FROM purchases WHERE id = ANY($1) FOR UPDATE)
                UPDATE purchases p SET status = 'failed', error = r.error, updated_at = $3
                FROM unnest($1::uuid[], $2::text[]) AS r(id, error), old
                WHERE p.id = r.id AND old.id = p.id AND p.status IN ('pending', 'in_progress')
                RETURNING p.id, p."user", p.retailer_id, p.status, old.status AS previous_status, p.error, p.created_at, p.updated_at
                """, first: 4), connection, transaction);
            fail.Parameters.Add(new NpgsqlParameter { Value = transitions.Select(t => t.PurchaseId).ToArray() });
            fail.Parameters.Add(new NpgsqlParameter { Value = transitions.Select(t => t.Error).ToArray() });
            fail.Parameters.Add(new NpgsqlParameter { Value = now });
            // The reconciler's batch belongs to no one purchase: each delivery continues its purchase's trace.
            WebhookEvents.AddParameters(fail, webhooks.Value, traceParent: null);
            await using var reader = await fail.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                failed.Add(reader.GetGuid(0));
                deliveries = reader.GetInt64(1);
            }
        }

        // A deleted workflow's entry becomes failed, so that a replay (or a retry) re-creates it through the outbox.
        var gone = deleted.Select(d => d.PurchaseId).Where(failed.Contains).ToArray();
        if (gone.Length > 0)
        {
            await using var entries = new NpgsqlCommand("""
                UPDATE outbox_entries SET state = 'failed', last_error = $2, failed_at = $3, updated_at = $3,
                                          locked_until = NULL, locked_by = NULL
                WHERE purchase_id = ANY($1) AND kind = 'argo.workflow.create' AND state = 'submitted'
                """, connection, transaction);
            entries.Parameters.Add(new NpgsqlParameter { Value = gone });
            entries.Parameters.Add(new NpgsqlParameter { Value = $"{DeletedError} (Argo answered 404 while the purchase was not final)" });
            entries.Parameters.Add(new NpgsqlParameter { Value = now });
            await entries.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
        if (deliveries > 0) outbox.Nudge();

        foreach (var transition in transitions.Where(t => failed.Contains(t.PurchaseId)))
        {
            metrics.Transitioned(transition.Reason);
            logger.LogInformation("Purchase {PurchaseId} failed by the reconciler: {Error}", transition.PurchaseId, transition.Error);
        }
    }

    static Instant? Timestamp(DateTimeOffset? value) => value is { } v ? Instant.FromDateTimeOffset(v) : null;
}
