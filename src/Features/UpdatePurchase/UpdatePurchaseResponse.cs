using NodaTime;

namespace Purchases.Features.UpdatePurchase;

public sealed record UpdatePurchaseResponse(Guid Id, string Status, string Error, Instant UpdatedAt, string Message);
