using FastEndpoints;
namespace Purchases.Features.GetPurchase;

public sealed class GetPurchaseRequest
{
    public string User { get; set; } = "";
    public string PurchaseId { get; set; } = "";
    /// <summary>Optional: keep only the model output with this <c>idmodel</c>.</summary>
    [QueryParam]
    public string? Idmodel { get; set; }
}
