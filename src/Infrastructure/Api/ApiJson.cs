using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;
using NodaTime.Text;

namespace Purchases.Infrastructure.Api;

public static class ApiJson
{
    /// <summary>snake_case keys; instants as RFC 3339 UTC in whole seconds (<c>2024-01-15T14:30:00Z</c>), dates as ISO.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new NodaPatternConverter<Instant>(InstantPattern.General));
        options.Converters.Add(new NodaPatternConverter<LocalDate>(LocalDatePattern.Iso));
    }
}
