using FastEndpoints;
using NodaTime;
using NodaTime.Text;
using Purchases.Infrastructure.Api;

namespace Purchases.Features.ListPurchases;

/// <summary>The query, as raw values so that the validator can name what is wrong in the API's message style.</summary>
public sealed class ListPurchasesRequest : IPageRequest
{
    public string User { get; set; } = "";
    [QueryParam]
    public string? Status { get; set; }
    [QueryParam]
    public string? RetailerId { get; set; }
    [QueryParam]
    public string? CreatedFrom { get; set; }
    [QueryParam]
    public string? CreatedTo { get; set; }
    [QueryParam]
    public string? DeliveryFrom { get; set; }
    [QueryParam]
    public string? DeliveryTo { get; set; }
    [QueryParam]
    public string? Limit { get; set; }
    [QueryParam]
    public string? Cursor { get; set; }

    public Instant? CreatedFromInstant => QueryValues.Instant(CreatedFrom);
    public Instant? CreatedToInstant => QueryValues.Instant(CreatedTo);
    public LocalDate? DeliveryFromDate => QueryValues.Date(DeliveryFrom);
    public LocalDate? DeliveryToDate => QueryValues.Date(DeliveryTo);
}
