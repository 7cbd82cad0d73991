using System.Security.Cryptography;
using FastEndpoints;
using Microsoft.Extensions.Options;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Options;

namespace Purchases.Features.SubmitPurchase;

/// <summary>
/// Reads the body itself: the contract's messages depend on the raw JSON types, and a year of quarter-hours should
/// be parsed once, straight from the request's bytes. Only the document's shape is checked here; the items are read
/// and checked as they are stored (<see cref="PurchaseSchedule"/>).
/// </summary>
public sealed class SubmitPurchaseBinder : IRequestBinder<SubmitPurchaseRequest>
{
    public async ValueTask<SubmitPurchaseRequest> BindAsync(BinderContext ctx, CancellationToken ct)
    {
        var http = ctx.HttpContext;
        var query = http.Request.Query["retailer_id"].ToString();
        var request = new SubmitPurchaseRequest
        {
            User = http.GetRouteValue("user") as string ?? "",
            RetailerId = query.Length > 0 ? query : http.GetRouteValue("retailer_id") as string ?? "",
            IdempotencyKey = http.Request.Headers["Idempotency-Key"].ToString() is { Length: > 0 } key ? key : null,
        };

        var options = http.RequestServices.GetRequiredService<IOptions<PurchasesOptions>>().Value;
        (var body, request.Rejection) = await RequestBody.ReadJsonAsync(http.Request, options.MaxBodyBytes, ct);
        if (body is null) return request;
        if (request.IdempotencyKey is not null)
            request.RequestHash = RequestHash(request.RetailerId, body.Memory.Span);
        (request.Schedule, request.ScheduleError) = PurchaseScheduleParser.Parse(body, options.Zone, options.MaxItems);
        // Owned by the response from here: back to the pools when the request ends, stored or refused.
        if (request.Schedule is not null) http.Response.RegisterForDispose(request.Schedule);
        return request;
    }

    static byte[] RequestHash(string retailerId, ReadOnlySpan<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(retailerId));
        hash.AppendData([0]);
        hash.AppendData(body);
        return hash.GetHashAndReset();
    }
}
