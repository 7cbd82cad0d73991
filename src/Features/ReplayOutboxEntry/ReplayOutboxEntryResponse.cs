namespace Purchases.Features.ReplayOutboxEntry;

public sealed record ReplayOutboxEntryResponse(Guid Id, string State, string Message);
