using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using FastEndpoints;
using NodaTime;
using Npgsql;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Auth;
using Purchases.Infrastructure.Outbox;
using Purchases.Infrastructure.Persistence;
using Purchases.Infrastructure.Api.OpenApi;

namespace Purchases.Features.SubmitPurchase;

public sealed class SubmitPurchaseEndpoint(NpgsqlDataSource dataSource, OutboxSignal outbox, IClock clock, IOptions<JsonOptions> json)
    : Endpoint<SubmitPurchaseRequest, SubmitPurchaseResponse>
{
    public override void Configure()
    {
        // The user-less forms exist so that a missing {user} (".../user//submit-purchase", whose slashes the API
        // merges) gets the contract's message instead of a 404.
        Post("user/{user}/submit-purchase", "user/{user}/submit-purchase/{retailer_id}",
            "user/submit-purchase", "user/submit-purchase/{retailer_id}");
        Policies(AccessPolicies.SubmitForUser);
        RequestBinder(new SubmitPurchaseBinder());
        PreProcessor<BodyRejectionCheck<SubmitPurchaseRequest>>();
        Options(b => b.WithMetadata(new JsonRequestBody(typeof(SubmitPurchaseBody), SubmitPurchaseBody.Example)).WithMetadata(new InternalErrorMessage("Internal server error while creating purchase.")));
        Description(b => b.WithTags(ApiDocs.PurchasesTag));
    }

    public override async Task HandleAsync(SubmitPurchaseRequest req, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        var now = clock.GetCurrentInstant();
        var response = JsonSerializer.Serialize(new SubmitPurchaseResponse(
            id, PurchaseStatus.Pending, now, req.Schedule!.Count, null,
            $"Purchase created successfully with ID: {id} for user: {req.User} and retailer: {req.RetailerId}"), json.Value.SerializerOptions);

        switch (await SubmitPurchaseStorage.StoreAsync(dataSource, id, req, now, response, ct))
        {
            case StoreOutcome.Stored:
                outbox.Nudge();
                await SendCreatedAsync(req.User, id, response);
                break;
            case StoreOutcome.Repeated repeated:
                await SendCreatedAsync(req.User, repeated.PurchaseId, repeated.Response);
                break;
            case StoreOutcome.Refused refused:
                await ApiErrors.WriteErrorAsync(HttpContext, StatusCodes.Status400BadRequest, refused.Message);
                break;
            default:
                await ApiErrors.WriteErrorAsync(HttpContext, StatusCodes.Status409Conflict, KeyReusedMessage);
                break;
        }
    }

    public const string KeyReusedMessage = "Idempotency-Key was already used with a different request.";

    /// <summary>The body is written as stored, so a repeated Idempotency-Key gets the first answer byte for byte.</summary>
    Task SendCreatedAsync(string user, Guid id, string body)
    {
        HttpContext.Response.StatusCode = StatusCodes.Status201Created;
        HttpContext.Response.Headers.Location = $"/{ApiRegistration.RoutePrefix}/user/{Uri.EscapeDataString(user)}/purchase/{id}/get";
        HttpContext.Response.ContentType = "application/json; charset=utf-8";
        return HttpContext.Response.WriteAsync(body);
    }
}
