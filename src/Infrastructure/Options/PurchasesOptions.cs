using System.ComponentModel.DataAnnotations;
using NodaTime;

namespace Purchases.Infrastructure.Options;

public sealed class PurchasesOptions : IValidatableObject
{
    public const string Section = "Purchases";

    public string MarketTimeZone { get; set; } = "Europe/Madrid";

    [Range(1, int.MaxValue)]
    public int MaxItems { get; set; } = 100_000;

    [Range(1, 1L << 40)]
    public long MaxBodyBytes { get; set; } = 32 * 1024 * 1024;

    public DateTimeZone Zone => DateTimeZoneProviders.Tzdb[MarketTimeZone];

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(MarketTimeZone) is null)
            yield return new ValidationResult(
                $"Purchases:MarketTimeZone '{MarketTimeZone}' is not a known IANA time zone.", [nameof(MarketTimeZone)]);
    }
}
