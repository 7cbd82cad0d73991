namespace Purchases.Features.ReplayOutboxEntry;

public sealed class ReplayOutboxEntryRequest
{
    public string Id { get; set; } = "";
}
