using System.ComponentModel.DataAnnotations;

namespace Purchases.Infrastructure.Webhooks;

public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>How long one delivery may take, connect to last byte; a receiver slower than this is a failed attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")] public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Plain-http endpoints (only for local development: Development turns it on).</summary>
    public bool AllowHttp { get; set; }

    /// <summary>
    /// Endpoints on loopback, private, link-local and other non-public addresses. Off: no webhook can reach into the
    /// cluster (SSRF). For a receiver inside the same network on purpose, and for tests.
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>After a rotation, how long the previous secret still signs (both signatures are sent meanwhile).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")] public TimeSpan RotationGrace { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Live endpoints one customer may have.</summary>
    [Range(1, 100)] public int MaxEndpointsPerCustomer { get; set; } = 10;

    /// <summary>
    /// The service's address as retailers reach it (e.g. <c>https://purchases.example.com</c>): an event's <c>url</c>
    /// is this and the get-purchase path. Unset, the event carries the path alone.
    /// </summary>
    [Url] public string? PublicBaseUrl { get; set; }
}
