using System.Buffers;
using System.IO.Pipelines;
using FastEndpoints;
using Microsoft.Extensions.Options;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Options;

namespace Purchases.Features.SubmitPurchase;

/// <summary>
/// Reads the body itself: the contract's messages depend on the raw JSON types, and a year of quarter-hours should
/// be parsed once, straight from the request's buffers.
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
            IdempotencyKey = http.Request.Headers["Idempotency-Key"].FirstOrDefault(),
        };

        if (!JsonContentType.IsJson(http.Request.ContentType))
        {
            request.Rejection = new BodyRejection(StatusCodes.Status415UnsupportedMediaType, ApiErrors.UnsupportedMediaType);
            return request;
        }

        var options = http.RequestServices.GetRequiredService<IOptions<PurchasesOptions>>().Value;
        if (http.Request.ContentLength > options.MaxBodyBytes)
        {
            request.Rejection = new BodyRejection(StatusCodes.Status413PayloadTooLarge, ApiErrors.BodyTooLarge);
            return request;
        }

        var reader = http.Request.BodyReader;
        var read = await reader.ReadAtLeastAsync(
            (int)Math.Min(int.MaxValue, (http.Request.ContentLength ?? 0) + 1), ct);
        while (!read.IsCompleted && read.Buffer.Length <= options.MaxBodyBytes)
        {
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            read = await reader.ReadAsync(ct);
        }

        try
        {
            if (read.Buffer.Length > options.MaxBodyBytes)
                request.Rejection = new BodyRejection(StatusCodes.Status413PayloadTooLarge, ApiErrors.BodyTooLarge);
            else
                (request.Schedule, request.ScheduleError) =
                    PurchaseScheduleParser.Parse(read.Buffer, options.Zone, options.MaxItems);
        }
        finally
        {
            reader.AdvanceTo(read.Buffer.End);
        }
        return request;
    }
}
