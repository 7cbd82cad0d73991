using Npgsql;
using NpgsqlTypes;
using Purchases.Infrastructure.Persistence;

namespace Purchases.Infrastructure.Webhooks;

/// <summary>
/// Status changes write their webhook deliveries in the same statement, so in the same transaction (the outbox
/// again): one <c>webhook.delivery</c> entry per event and live endpoint subscribed to it. Every change is a
/// <c>purchase.status_changed</c>; reaching completed or failed is also <c>purchase.completed</c> or
/// <c>purchase.failed</c>. The entry's id is the event's <c>webhook-id</c>, so a retry sends the same one.
/// </summary>
public static class WebhookEvents
{
    /// <summary>
    /// Wraps a status change: <paramref name="change"/> is an UPDATE of <c>purchases</c> returning <c>id, "user",
    /// retailer_id, status, previous_status, error, created_at, updated_at</c>; rows whose status did not change write
    /// nothing. The statement returns each changed purchase's id and how many deliveries it wrote in all.
    /// <see cref="Ctes"/> gives the two CTEs alone (<c>changed</c>, <c>deliveries</c>) for a statement with more.
    /// Its two parameters, the public base URL and the trace context, are <c>$<paramref name="first"/></c> and the next
    /// (<see cref="AddParameters"/>); without a trace context, a delivery continues its purchase's trace.
    /// </summary>
    public static string WithDeliveries(string change, int first) =>
        $"WITH {Ctes(change, first)}\nSELECT c.id, (SELECT count(*) FROM deliveries) FROM changed c";

    public static string Ctes(string change, int first) => $"""
        changed AS ({change}),
        deliveries AS (
            INSERT INTO outbox_entries (id, purchase_id, kind, payload, webhook_endpoint_id, next_attempt_at, created_at,
                                        updated_at, trace_parent)
            SELECT gen_random_uuid(), c.id, '{OutboxKind.WebhookDelivery}',
                   jsonb_build_object('type', ev.type, 'timestamp', {Rfc3339("c.updated_at")}, 'data', jsonb_build_object(
                       'purchase_id', c.id, 'user', c."user", 'retailer_id', c.retailer_id, 'status', c.status,
                       'previous_status', c.previous_status, 'error', nullif(c.error, ''),
                       'created_at', {Rfc3339("c.created_at")}, 'updated_at', {Rfc3339("c.updated_at")},
                       'url', ${first} || '/api/v0/user/' || c."user" || '/purchase/' || c.id || '/get')),
                   w.id, c.updated_at, c.updated_at, c.updated_at,
                   coalesce(${first + 1}, (SELECT a.trace_parent FROM outbox_entries a
                                           WHERE a.purchase_id = c.id AND a.kind = '{OutboxKind.ArgoWorkflowCreate}'))
            FROM changed c
            CROSS JOIN LATERAL unnest(ARRAY['{WebhookEvent.StatusChanged}'] || CASE c.status
                WHEN 'completed' THEN ARRAY['{WebhookEvent.Completed}'] WHEN 'failed' THEN ARRAY['{WebhookEvent.Failed}']
                ELSE ARRAY[]::text[] END) AS ev(type)
            JOIN webhook_endpoints w ON w."user" = c."user" AND w.deleted_at IS NULL AND ev.type = ANY(w.events)
            WHERE c.status IS DISTINCT FROM c.previous_status
            RETURNING 1)
        """;

    public static void AddParameters(NpgsqlCommand command, WebhookOptions options, string? traceParent)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = options.PublicBaseUrl?.TrimEnd('/') ?? "", NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)traceParent ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
    }

    /// <summary>An instant as RFC 3339 UTC with microseconds, whatever the session's time zone.</summary>
    static string Rfc3339(string column) => $"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')""";
}
