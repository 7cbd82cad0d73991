using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Purchases.Infrastructure.Argo;
using Purchases.Infrastructure.Observability;
using Purchases.Infrastructure.Persistence;
using Purchases.Infrastructure.Webhooks;

namespace Purchases.Infrastructure.Outbox;

/// <summary>
/// Moves due entries out (design/outbox.md §6.3): claim a batch with a lease in one short statement, call Argo (or a
/// customer's webhook endpoint) outside any transaction, then write each result only where the lease is still ours.
/// Several instances may drain one database; the deterministic workflow name keeps Argo at one workflow per purchase
/// whatever happens, and a delivery's fixed <c>webhook-id</c> lets its receiver drop a repeat.
/// </summary>
public sealed class OutboxDrainer(
    NpgsqlDataSource dataSource,
    IArgoWorkflows argo,
    IOptions<ArgoOptions> argoOptions,
    IOptions<OutboxOptions> options,
    WebhookDeliverer webhooks,
    IClock clock,
    OutboxMetrics metrics,
    ILogger<OutboxDrainer> logger)
{
    static readonly string Instance = $"{Environment.MachineName}/{Environment.ProcessId}";
    readonly Random _random = Random.Shared;

    sealed record Claimed(Guid Id, string Kind, Guid PurchaseId, string? WorkflowName, Guid? WebhookEndpointId,
        string Payload, short PayloadVersion, int Attempts, Instant CreatedAt, string? TraceParent);

    /// <summary>
    /// An entry done: Argo has its workflow (<paramref name="Result"/> <c>created</c> or <c>already_exists</c>), or
    /// its webhook was delivered (<c>delivered</c>).
    /// </summary>
    sealed record Accepted(Claimed Entry, string? Uid, string Result);

    /// <summary>Drains until nothing is due or the run budget is spent. Argo's entries wait while it is not configured.</summary>
    public async Task<int> DrainAsync(CancellationToken ct)
    {
        var budget = Stopwatch.StartNew();
        var sent = 0;
        while (!ct.IsCancellationRequested && budget.Elapsed < options.Value.RunBudget)
        {
            var owner = $"{Instance}/{Guid.NewGuid():N}";
            var batch = await ClaimAsync(owner, ct);
            if (batch.Count == 0) break;
            var accepted = new ConcurrentQueue<Accepted>();
            var targets = await webhooks.TargetsAsync(
                batch.Select(e => e.WebhookEndpointId).OfType<Guid>().Distinct().ToList(), clock.GetCurrentInstant(), ct);
            try
            {
                await Parallel.ForEachAsync(batch,
                    new ParallelOptions { MaxDegreeOfParallelism = options.Value.Parallelism, CancellationToken = ct },
                    async (entry, _) =>
                    {
                        var done = entry.Kind == OutboxKind.WebhookDelivery
                            ? await DeliverAsync(entry, owner, targets.GetValueOrDefault(entry.WebhookEndpointId!.Value))
                            : await SendAsync(entry, owner);
                        if (done is not null) accepted.Enqueue(done);
                    });
            }
            finally
            {
                // Also on shutdown: what Argo accepted before the stop is written, not left for a resend.
                await SubmittedAsync(accepted, owner);
            }
            sent += batch.Count;
            if (batch.Count < options.Value.BatchSize) break;
        }
        return sent;
    }

    async Task<List<Claimed>> ClaimAsync(string owner, CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        await using var command = dataSource.CreateCommand("""
            UPDATE outbox_entries SET locked_until = $1, locked_by = $2
            WHERE id IN (
                SELECT id FROM outbox_entries
                WHERE state = 'pending' AND next_attempt_at <= $3 AND (locked_until IS NULL OR locked_until < $3)
                  AND ($5 OR kind <> 'argo.workflow.create')
                ORDER BY next_attempt_at, id
                LIMIT $4
                FOR UPDATE SKIP LOCKED)
            RETURNING id, kind, purchase_id, workflow_name, webhook_endpoint_id, payload::text, payload_version, attempts,
                      created_at, trace_parent
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = now + Duration.FromTimeSpan(options.Value.Lease) });
        command.Parameters.Add(new NpgsqlParameter { Value = owner });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = options.Value.BatchSize });
        command.Parameters.Add(new NpgsqlParameter { Value = argoOptions.Value.IsConfigured });
        var claimed = new List<Claimed>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            claimed.Add(new Claimed(reader.GetGuid(0), reader.GetString(1), reader.GetGuid(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetGuid(4),
                reader.GetString(5), reader.GetInt16(6), reader.GetInt32(7), reader.GetFieldValue<Instant>(8),
                reader.IsDBNull(9) ? null : reader.GetString(9)));
        return claimed;
    }

    /// <summary>Calls Argo for one entry; writes a failure at once, and returns a success for the batch's one update.</summary>
    async Task<Accepted?> SendAsync(Claimed entry, string owner)
    {
        if (entry.PayloadVersion != 1 || JsonSerializer.Deserialize<OutboxPayload>(entry.Payload) is not { } payload)
        {
            await FailAsync(entry, owner, null, $"unsupported payload version {entry.PayloadVersion}", null, final: true);
            return null;
        }

        // A child of the submit's span (one trace per purchase: one entry, one create); the workflow carries this
        // span's traceparent on to its report-back.
        using var activity = PurchasesTelemetry.Source.StartActivity(PurchasesTelemetry.ArgoCreate, ActivityKind.Client,
            PurchasesTelemetry.ContextOf(entry.TraceParent));
        activity?.SetTag("purchases.purchase_id", entry.PurchaseId.ToString("D"));
        activity?.SetTag("purchases.outbox.attempt", entry.Attempts + 1);
        var started = Stopwatch.GetTimestamp();
        // Not cancelled on shutdown: a call under way finishes and its result is written (the run stops claiming).
        var outcome = await argo.CreateAsync(
            new WorkflowRequest(entry.WorkflowName!, entry.PurchaseId, payload.User, payload.RetailerId,
                PurchasesTelemetry.CurrentTraceParent() ?? entry.TraceParent), CancellationToken.None);
        activity?.SetTag("purchases.outbox.outcome", outcome.GetType().Name);
        if (outcome is CreateOutcome.Failed or CreateOutcome.NameCollision) activity?.SetStatus(ActivityStatusCode.Error);
        if (outcome is CreateOutcome.Failed { Status: { } argoStatus }) activity?.SetTag("http.response.status_code", argoStatus);
        metrics.ArgoCallDuration(Stopwatch.GetElapsedTime(started), outcome);

        switch (outcome)
        {
            case CreateOutcome.Created(var uid):
                return new Accepted(entry, uid, "created");
            case CreateOutcome.AlreadyExists(var uid):
                return new Accepted(entry, uid, "already_exists");
            case CreateOutcome.NameCollision(var error):
                await FailAsync(entry, owner, 409, error, null, final: true);
                return null;
            case CreateOutcome.Failed(var status, var error, var retryAfter):
                await FailAsync(entry, owner, status, error, retryAfter, final: false);
                return null;
            default:
                throw new InvalidOperationException($"unexpected outcome {outcome}");
        }
    }

    /// <summary>Sends one webhook delivery; a failure is written at once, a success joins the batch's one update.</summary>
    async Task<Accepted?> DeliverAsync(Claimed entry, string owner, WebhookDeliverer.Target? target)
    {
        // A child of the status change's span (the purchase's trace), and the client span of the call.
        using var activity = PurchasesTelemetry.Source.StartActivity(PurchasesTelemetry.WebhookDeliver, ActivityKind.Client,
            PurchasesTelemetry.ContextOf(entry.TraceParent));
        activity?.SetTag("purchases.purchase_id", entry.PurchaseId.ToString("D"));
        activity?.SetTag("purchases.webhook.endpoint_id", entry.WebhookEndpointId?.ToString("D"));
        activity?.SetTag("purchases.outbox.attempt", entry.Attempts + 1);
        var started = Stopwatch.GetTimestamp();
        var outcome = await webhooks.DeliverAsync(entry.Id, entry.Payload, target, clock.GetCurrentInstant());
        metrics.WebhookCallDuration(Stopwatch.GetElapsedTime(started), outcome);
        switch (outcome)
        {
            case WebhookDeliverer.Outcome.Delivered(var status):
                activity?.SetTag("http.response.status_code", status);
                return new Accepted(entry, null, "delivered");
            case WebhookDeliverer.Outcome.Failed(var status, var error, var retryAfter, var final):
                activity?.SetStatus(ActivityStatusCode.Error);
                if (status is { } s) activity?.SetTag("http.response.status_code", s);
                await FailAsync(entry, owner, status, error, retryAfter, final);
                return null;
            default:
                throw new InvalidOperationException($"unexpected outcome {outcome}");
        }
    }

    /// <summary>
    /// Marks a batch's accepted entries submitted in one statement, each only where the lease is still ours (a
    /// drainer that lost its lease leaves the entry to the next one, whose call Argo answers with AlreadyExists), and
    /// makes each accepted workflow's first read due, which puts its purchase on the reconciler's work list.
    /// No <c>state = 'pending'</c>: an entry holds a lease only while pending (every change of state clears it), and
    /// that condition let the planner read the batch through the due index, every pending entry a batch, when its
    /// statistics said few were pending (6,800 buffers a batch of 100 in a burst of 10,000, against 2,200).
    /// </summary>
    async Task SubmittedAsync(IReadOnlyCollection<Accepted> accepted, string owner)
    {
        if (accepted.Count == 0) return;
        var now = clock.GetCurrentInstant();
        await using var command = dataSource.CreateCommand("""
            WITH submitted AS (
                UPDATE outbox_entries o
                SET state = 'submitted', submitted_at = $1, updated_at = $1, argo_uid = r.uid, last_status = NULL,
                    locked_until = NULL, locked_by = NULL
                FROM unnest($2::uuid[], $3::text[]) AS r(id, uid)
                WHERE o.id = r.id AND o.locked_by = $4
                RETURNING o.id, o.kind, o.purchase_id),
            followed AS (
                UPDATE purchases p SET workflow_next_check_at = $1
                FROM submitted s
                WHERE s.kind = 'argo.workflow.create' AND p.id = s.purchase_id
                  AND p.status IN ('pending', 'in_progress') AND p.workflow_next_check_at IS NULL)
            SELECT id FROM submitted
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = accepted.Select(a => a.Entry.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = accepted.Select(a => a.Uid).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = owner });
        var written = new HashSet<Guid>();
        await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None))
            while (await reader.ReadAsync(CancellationToken.None))
                written.Add(reader.GetGuid(0));

        foreach (var (entry, _, result) in accepted)
        {
            if (!written.Contains(entry.Id))
            {
                logger.LogWarning("Outbox entry {EntryId} was sent but its lease had passed to another drainer", entry.Id);
                continue;
            }
            metrics.Submitted(entry.Kind, result, now - entry.CreatedAt);
            if (entry.Kind == OutboxKind.WebhookDelivery)
                logger.LogInformation("Webhook delivery {EntryId} for purchase {PurchaseId} delivered to endpoint {WebhookEndpointId}",
                    entry.Id, entry.PurchaseId, entry.WebhookEndpointId);
            else
                logger.LogInformation("Outbox entry {EntryId} for purchase {PurchaseId} submitted as workflow {WorkflowName} ({Result})",
                    entry.Id, entry.PurchaseId, entry.WorkflowName, result);
        }
    }

    async Task FailAsync(Claimed entry, string owner, int? status, string error, TimeSpan? retryAfter, bool final)
    {
        var now = clock.GetCurrentInstant();
        var failures = entry.Attempts + 1;
        var failed = final || failures >= options.Value.MaxAttempts;
        var next = failed ? now : now + OutboxBackoff.Delay(failures, options.Value, _random, retryAfter);
        await using var command = dataSource.CreateCommand("""
            UPDATE outbox_entries
            SET attempts = $1, last_error = left($2, 2000), last_status = $3, next_attempt_at = $4,
                state = CASE WHEN $5 THEN 'failed' ELSE 'pending' END, failed_at = CASE WHEN $5 THEN $6 END,
                updated_at = $6, locked_until = NULL, locked_by = NULL
            WHERE id = $7 AND locked_by = $8 AND state = 'pending'
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = failures });
        command.Parameters.Add(new NpgsqlParameter { Value = error });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = next });
        command.Parameters.Add(new NpgsqlParameter { Value = failed });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = owner });
        if (await command.ExecuteNonQueryAsync(CancellationToken.None) == 0)
        {
            logger.LogWarning("Outbox entry {EntryId} failed but its lease had passed to another drainer", entry.Id);
            return;
        }
        metrics.Failed(entry.Kind, failed);
        if (failed)
            logger.LogError("Outbox entry {EntryId} for purchase {PurchaseId} failed after {Attempts} attempts: {Error}",
                entry.Id, entry.PurchaseId, failures, error);
        else
            logger.LogWarning("Outbox entry {EntryId} attempt {Attempts} failed ({Status}): {Error}; next at {NextAttemptAt}",
                entry.Id, failures, status, error, next);
    }
}
