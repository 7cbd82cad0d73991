using System.Text;
using NodaTime;
using Npgsql;
using Purchases.Infrastructure.Api;

namespace Purchases.Features.ListPurchases;

/// <summary>
/// One user's purchases, newest first, keyset-paginated on <c>ix_purchases_user_created</c>: a page costs the same
/// at 100,000 purchases as at ten, and purchases added meanwhile are newer, so they never shift the pages that follow.
/// </summary>
public static class ListPurchasesQuery
{
    public static async Task<ListPurchasesResponse> RunAsync(NpgsqlDataSource dataSource, ListPurchasesRequest request,
        CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand();
        var where = new StringBuilder("WHERE p.\"user\" = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = request.User });
        Add(request.Status, "p.status = ${0}");
        Add(request.RetailerId, "p.retailer_id = ${0}");
        Add(request.CreatedFromInstant, "p.created_at >= ${0}");
        Add(request.CreatedToInstant, "p.created_at < ${0}");
        // The schedule covers [delivery_from, delivery_to] and the query asks for the days it overlaps.
        Add(request.DeliveryFromDate, "p.delivery_to >= ${0}");
        Add(request.DeliveryToDate, "p.delivery_from <= ${0}");
        var limit = request.AppendPage(where, command, "p");
        command.CommandText = $"""
            SELECT p.id, p.status, p.error, p.created_at, p.updated_at, p.rows_uploaded, p.retailer_id,
                   p.delivery_from, p.delivery_to, {WorkflowView.Columns}
            FROM purchases p LEFT JOIN outbox_entries e ON e.purchase_id = p.id AND e.kind = 'argo.workflow.create'
            {where}
            ORDER BY p.created_at DESC, p.id DESC
            LIMIT {limit}
            """;

        var items = new List<PurchaseItem>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            items.Add(new PurchaseItem(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetFieldValue<Instant>(3), reader.GetFieldValue<Instant>(4), reader.GetInt32(5), reader.GetString(6),
                reader.GetFieldValue<LocalDate>(7), reader.GetFieldValue<LocalDate>(8), WorkflowView.Read(reader, 9)));

        var (page, next) = request.Cut(items, i => new KeysetCursor(i.CreatedAt, i.Id));
        return new ListPurchasesResponse(page, next);

        void Add(object? value, string condition) => Paging.AppendCondition(where, command, value, condition);
    }
}
