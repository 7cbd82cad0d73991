namespace Purchases.Features.ListOutboxEntries;

public sealed record ListOutboxEntriesResponse(IReadOnlyList<OutboxEntryItem> Items, string? NextCursor);
