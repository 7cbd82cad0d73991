using System.ComponentModel.DataAnnotations;

namespace Purchases.Infrastructure.Observability;

public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Serve <c>/metrics</c> on this port only (a management port), not on the API's; unset: on the API's port.</summary>
    [Range(1, 65535)] public int? Port { get; set; }
    /// <summary>The management port's host in the listener prefix; <c>*</c> is every address.</summary>
    public string Host { get; set; } = "*";
}
