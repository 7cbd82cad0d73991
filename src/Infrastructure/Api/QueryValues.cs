using NodaTime;
using NodaTime.Text;

namespace Purchases.Infrastructure.Api;

/// <summary>Query values that name instants (RFC 3339 UTC) and local dates (ISO), with the message for a bad one.</summary>
public static class QueryValues
{
    public static Instant? Instant(string? text) => text is null ? null : InstantPattern.ExtendedIso.Parse(text).GetValueOrThrow();
    public static LocalDate? Date(string? text) => text is null ? null : LocalDatePattern.Iso.Parse(text).GetValueOrThrow();

    public static bool IsInstant(string? text) => text is null || InstantPattern.ExtendedIso.Parse(text).Success;
    public static bool IsDate(string? text) => text is null || LocalDatePattern.Iso.Parse(text).Success;

    public static string InstantMessage(string name) =>
        $"Query parameter \"{name}\" must be an RFC 3339 UTC timestamp (e.g., \"2025-11-10T09:00:00Z\").";
    public static string DateMessage(string name) =>
        $"Query parameter \"{name}\" must be a date as YYYY-MM-DD (e.g., \"2025-11-10\").";
}
