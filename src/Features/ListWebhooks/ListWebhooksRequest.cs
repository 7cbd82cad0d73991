namespace Purchases.Features.ListWebhooks;

public sealed class ListWebhooksRequest
{
    public string User { get; set; } = "";
}
