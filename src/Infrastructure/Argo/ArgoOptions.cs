namespace Purchases.Infrastructure.Argo;

/// <summary>Settings of the Argo Workflows server the outbox submits to (configuration section "Argo").</summary>
public sealed class ArgoOptions
{
    public const string Section = "Argo";

    /// <summary>The Argo server, e.g. https://argo-server.argo:2746. Unset: not configured, nothing is sent.</summary>
    public Uri? BaseUrl { get; set; }

    public string Namespace { get; set; } = "argo";

    /// <summary>Bearer token (with or without the "Bearer " prefix).</summary>
    public string? Token { get; set; }

    /// <summary>A file holding the token, read at each call so a rotated (projected) token is picked up.</summary>
    public string? TokenFile { get; set; }

    /// <summary>
    /// A PEM file with the CA certificate(s) that signed the Argo server's certificate (its default self-signed one, or
    /// the cluster's CA), trusted in addition to the system's roots. Unset: the system's roots only.
    /// </summary>
    public string? CaFile { get; set; }

    public string WorkflowTemplate { get; set; } = "purchase-strategy";

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool IsConfigured => BaseUrl is not null;
}
