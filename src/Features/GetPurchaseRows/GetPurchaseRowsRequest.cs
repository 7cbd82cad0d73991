namespace Purchases.Features.GetPurchaseRows;

public sealed class GetPurchaseRowsRequest
{
    public string User { get; set; } = "";
    public string PurchaseId { get; set; } = "";
}
