using System.Text;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Reconcile;

namespace Purchases.Features.ListWorkflows;

/// <summary>Failed or stuck purchases' workflows, newest purchase first, keyset-paginated; the admin API and the CLI run this.</summary>
public static class ListWorkflowsQuery
{
    public static async Task<ListWorkflowsResponse> RunAsync(NpgsqlDataSource dataSource, IClock clock,
        IOptions<ReconcileOptions> options, ListWorkflowsRequest request, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand();
        var where = new StringBuilder("WHERE true");
        request.AppendTo(where, command, clock.GetCurrentInstant() - Duration.FromTimeSpan(options.Value.StuckAfter));
        var limit = request.AppendPage(where, command, "p");
        command.CommandText = $"""
            SELECT p.id, p."user", p.retailer_id, p.status, p.error, e.workflow_name, e.state, p.workflow_phase,
                   p.workflow_message, p.workflow_started_at, p.workflow_finished_at, p.workflow_checked_at,
                   CASE WHEN p.status IN ('pending', 'in_progress') THEN p.workflow_next_check_at END,
                   p.retry_count, p.last_retried_at, p.last_retried_by, p.created_at, p.updated_at
            FROM purchases p JOIN outbox_entries e ON e.purchase_id = p.id AND e.kind = 'argo.workflow.create'
            {where}
            ORDER BY p.created_at DESC, p.id DESC
            LIMIT {limit}
            """;

        var items = new List<WorkflowItem>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var status = reader.GetString(3);
            items.Add(new WorkflowItem(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), status,
                status == "failed" ? WorkflowFilterParameters.Failed : WorkflowFilterParameters.Stuck,
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5), reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8),
                Nullable(reader, 9), Nullable(reader, 10), Nullable(reader, 11), Nullable(reader, 12), reader.GetInt32(13),
                Nullable(reader, 14), reader.IsDBNull(15) ? null : reader.GetString(15), reader.GetFieldValue<Instant>(16),
                reader.GetFieldValue<Instant>(17)));
        }

        var (page, next) = request.Cut(items, i => new KeysetCursor(i.CreatedAt, i.PurchaseId));
        return new ListWorkflowsResponse(page, next);
    }

    static Instant? Nullable(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<Instant>(ordinal);
}
