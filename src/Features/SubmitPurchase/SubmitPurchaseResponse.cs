using NodaTime;

namespace Purchases.Features.SubmitPurchase;

public sealed record SubmitPurchaseResponse(
    Guid Id,
    string Status,
    Instant CreatedAt,
    int RowsUploaded,
    string? Error,
    string Message);
