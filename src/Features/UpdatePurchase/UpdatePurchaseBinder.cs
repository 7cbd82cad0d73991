using System.Text.Json;
using FastEndpoints;
using Microsoft.Extensions.Options;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Options;
using Purchases.Infrastructure.Persistence;

namespace Purchases.Features.UpdatePurchase;

/// <summary>The contract's body checks in order, on the raw JSON (an <c>error</c> of <c>5</c> is not a string).</summary>
public sealed class UpdatePurchaseBinder : IRequestBinder<UpdatePurchaseRequest>
{
    public async ValueTask<UpdatePurchaseRequest> BindAsync(BinderContext ctx, CancellationToken ct)
    {
        var http = ctx.HttpContext;
        var request = new UpdatePurchaseRequest
        {
            User = http.GetRouteValue("user") as string ?? "",
            PurchaseId = http.GetRouteValue("purchase_id") as string ?? "",
        };
        var options = http.RequestServices.GetRequiredService<IOptions<PurchasesOptions>>().Value;
        (var body, request.Rejection) = await RequestBody.ReadJsonAsync(http.Request, options.MaxBodyBytes, ct);
        if (body is null) return request;
        using (body)
            request.BodyError = Read(body.Memory, request);
        return request;
    }

    static string? Read(ReadOnlyMemory<byte> body, UpdatePurchaseRequest request)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return ApiErrors.InvalidJson;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("outputs", out var outputs))
                return "Missing required field \"outputs\".";
            if (outputs.ValueKind != JsonValueKind.Object)
                return "Field \"outputs\" must be an object.";
            if (!root.TryGetProperty("status", out var status))
                return "Missing required field \"status\".";
            if (status.ValueKind != JsonValueKind.String || !PurchaseStatus.All.Contains(status.GetString()))
                return $"Field \"status\" must be one of: {string.Join(", ", PurchaseStatus.All)}.";
            var error = root.TryGetProperty("error", out var e) ? e : default;
            if (error.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.String))
                return "Field \"error\" must be a string.";

            request.Outputs = outputs.GetRawText();
            request.Status = status.GetString()!;
            request.Error = error.ValueKind == JsonValueKind.String ? error.GetString()! : "";
            return null;
        }
    }
}
