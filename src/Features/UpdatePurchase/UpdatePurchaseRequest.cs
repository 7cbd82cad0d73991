using Purchases.Infrastructure.Api;

namespace Purchases.Features.UpdatePurchase;

/// <summary>Bound by <see cref="UpdatePurchaseBinder"/>, which checks the body's raw JSON types.</summary>
public sealed class UpdatePurchaseRequest : IRefusableBody
{
    public string User { get; set; } = "";
    public string PurchaseId { get; set; } = "";
    /// <summary>The <c>outputs</c> object as JSON text, stored as it is (jsonb).</summary>
    public string Outputs { get; set; } = "";
    public string Status { get; set; } = "";
    public string Error { get; set; } = "";

    public BodyRejection? Rejection { get; set; }
    /// <summary>The first failing body check, or null.</summary>
    public string? BodyError { get; set; }
}
