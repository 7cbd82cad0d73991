using System.Text.Json;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Auth;
using Purchases.Infrastructure.Persistence;
using Purchases.Infrastructure.Api.OpenApi;

namespace Purchases.Features.GetPurchase;

public sealed class GetPurchaseEndpoint(PurchasesDbContext db) : Endpoint<GetPurchaseRequest, GetPurchaseResponse>
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
            ? await db.Purchases
                .Where(p => p.Id == id && p.UserName == req.User)
                .Select(p => new
                {
                    Purchase = p,
                    Entry = db.OutboxEntries.FirstOrDefault(e => e.PurchaseId == p.Id),
                })
                .SingleOrDefaultAsync(ct)
            : null;
        if (found is null)
        {
            await ApiErrors.WriteErrorAsync(HttpContext, StatusCodes.Status404NotFound, ApiErrors.PurchaseNotFound);
            return;
        }

        var (p, e) = (found.Purchase, found.Entry);
        await Send.OkAsync(new GetPurchaseResponse(
            p.Id, p.Status, p.Error, p.CreatedAt, StrategyOutput(p.StrategyOutput, req.Idmodel), p.UpdatedAt,
            p.RowsUploaded, p.RetailerId,
            e is null ? null : new WorkflowView(e.WorkflowName, e.State, e.Attempts, e.SubmittedAt, e.LastError)), ct);
    }

    static JsonElement? StrategyOutput(string? stored, string? idmodel)
    {
        if (stored is null) return null;
        var output = JsonSerializer.Deserialize<JsonElement>(stored);
        return idmodel is null ? output : StrategyOutputFilter.Apply(output, idmodel);
    }
}
