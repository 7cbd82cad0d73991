using System.Text.Json;
using FastEndpoints;
using NodaTime;
using Npgsql;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Auth;
using Purchases.Infrastructure.Persistence;
using Purchases.Infrastructure.Api.OpenApi;

namespace Purchases.Features.GetPurchase;

public sealed class GetPurchaseEndpoint(ReadReplica reads) : Endpoint<GetPurchaseRequest, GetPurchaseResponse>
{
    public override void Configure()
    {
        Get("user/{user}/purchase/{purchase_id}/get");
        Policies(AccessPolicies.ReadOrReportForUser);
        Options(b => b.WithMetadata(new InternalErrorMessage("Internal server error while retrieving purchase.")));
        Description(b => b.WithTags(ApiDocs.PurchasesTag));
    }

    public override async Task HandleAsync(GetPurchaseRequest req, CancellationToken ct)
    {
        var found = Guid.TryParseExact(req.PurchaseId, "D", out var id)
            ? await reads.FindAsync((id, req, ct), static (d, s) => FindAsync(d, s.id, s.req, s.ct))
            : null;
        if (found is null)
        {
            await ApiErrors.WriteErrorAsync(HttpContext, StatusCodes.Status404NotFound, ApiErrors.PurchaseNotFound);
            return;
        }
        await Send.OkAsync(found, ct);
    }

    /// <summary>
    /// One indexed query. (EF translated "the purchase's outbox entry" into a window over all entries, which took a
    /// second per request on a large table: see bench/RESULTS.md.)
    /// </summary>
    static async Task<GetPurchaseResponse?> FindAsync(NpgsqlDataSource dataSource, Guid id, GetPurchaseRequest req, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT p.status, p.error, p.created_at, p.strategy_output::text, p.updated_at, p.rows_uploaded, p.retailer_id,
                   {WorkflowView.Columns}
            FROM purchases p LEFT JOIN outbox_entries e ON e.purchase_id = p.id AND e.kind = 'argo.workflow.create'
            WHERE p.id = $1 AND p."user" = $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = req.User });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return new GetPurchaseResponse(
            id, reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetFieldValue<Instant>(2),
            StrategyOutput(reader.IsDBNull(3) ? null : reader.GetString(3), req.Idmodel), reader.GetFieldValue<Instant>(4),
            reader.GetInt32(5), reader.GetString(6), WorkflowView.Read(reader, 7));
    }

    static StoredJson? StrategyOutput(string? stored, string? idmodel)
    {
        if (stored is null) return null;
        if (idmodel is null) return new StoredJson(stored);
        return StrategyOutputFilter.Apply(JsonSerializer.Deserialize<JsonElement>(stored), idmodel) is { } kept
            ? StoredJson.From(kept)
            : null;
    }
}
