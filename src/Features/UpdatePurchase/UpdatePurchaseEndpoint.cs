using FastEndpoints;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Auth;
using Purchases.Infrastructure.Observability;
using Purchases.Infrastructure.Outbox;
using Purchases.Infrastructure.Webhooks;
using Purchases.Infrastructure.Api.OpenApi;

namespace Purchases.Features.UpdatePurchase;

/// <summary>The strategy workflow (a worker token) reports its results; the outputs replace the stored ones.</summary>
public sealed class UpdatePurchaseEndpoint(
    NpgsqlDataSource dataSource, OutboxSignal outbox, IOptions<WebhookOptions> webhooks, IClock clock)
    : Endpoint<UpdatePurchaseRequest, UpdatePurchaseResponse>
{
    public override void Configure()
    {
        Put("user/{user}/purchase/{purchase_id}/update");
        Policies(AccessPolicies.ReadOrReportForUser);
        RequestBinder(new UpdatePurchaseBinder());
        PreProcessor<BodyRejectionCheck<UpdatePurchaseRequest>>();
        Options(b => b.WithMetadata(new JsonRequestBody(typeof(UpdatePurchaseBody), UpdatePurchaseBody.Example)).WithMetadata(new InternalErrorMessage("Internal server error while updating purchase.")));
        Description(b => b.WithTags(ApiDocs.PurchasesTag));
    }

    public override async Task HandleAsync(UpdatePurchaseRequest req, CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        if (!Guid.TryParseExact(req.PurchaseId, "D", out var id) || await StoreAsync(id, req, now, ct) is not { } deliveries)
        {
            await ApiErrors.WriteErrorAsync(HttpContext, StatusCodes.Status404NotFound, ApiErrors.PurchaseNotFound);
            return;
        }
        if (deliveries > 0) outbox.Nudge();

        await Send.OkAsync(new UpdatePurchaseResponse(id, req.Status, req.Error, now,
            $"CustomerPurchase {id} updated successfully"), ct);
    }

    /// <summary>The outputs replace the stored ones; a change of status writes its webhook deliveries with it.</summary>
    async Task<long?> StoreAsync(Guid id, UpdatePurchaseRequest req, Instant now, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(WebhookEvents.WithDeliveries("""
            UPDATE purchases p SET strategy_output = $3, status = $4, error = $5, updated_at = $6
            FROM (SELECT id, status FROM purchases WHERE id = $1 AND "user" = $2 FOR UPDATE) old
            WHERE p.id = old.id
            RETURNING p.id, p."user", p.retailer_id, p.status, old.status AS previous_status, p.error, p.created_at, p.updated_at
            """, first: 7));
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = req.User });
        command.Parameters.Add(new NpgsqlParameter { Value = req.Outputs, NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = req.Status });
        command.Parameters.Add(new NpgsqlParameter { Value = req.Error });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        WebhookEvents.AddParameters(command, webhooks.Value, PurchasesTelemetry.CurrentTraceParent());
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? reader.GetInt64(1) : null;
    }
}
