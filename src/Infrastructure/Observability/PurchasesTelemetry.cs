using System.Diagnostics;

namespace Purchases.Infrastructure.Observability;

/// <summary>
/// The service's own spans. A purchase's trace starts at its submit; the W3C <c>traceparent</c> stored with its outbox
/// entry lets the asynchronous steps (the Argo create, the workflow's report-back) join that same trace.
/// </summary>
public static class PurchasesTelemetry
{
    public const string SourceName = "Purchases";
    public const string ArgoCreate = "argo.workflow.create";
    public const string WebhookDeliver = "webhook.deliver";
    public const string PurchaseStore = "purchase.store";
    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The context of a stored <c>traceparent</c>, or default when there is none (or it does not parse).</summary>
    public static ActivityContext ContextOf(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var context) ? context : default;

    /// <summary>Links to the stored traces of the purchases a batch span works on (those that have one).</summary>
    public static IEnumerable<ActivityLink> LinksTo(IEnumerable<string?> traceParents) =>
        traceParents.Select(ContextOf).Where(c => c != default).Select(c => new ActivityLink(c));

    /// <summary>
    /// An HTTP call made inside one of our client spans (the Argo create, a webhook delivery): that span already
    /// carries the call's outcome and duration, so the HTTP client's own span under it is not recorded (one span
    /// fewer on every submit's trace). The traceparent still travels.
    /// </summary>
    public static bool IsInsideOwnClientSpan(Activity? httpActivity) => IsOwnClientSpan(httpActivity?.Parent);

    /// <summary>
    /// One of our client spans (the Argo create, a webhook delivery, a submit's <see cref="PurchaseStore"/>): the
    /// statements made inside it get no Npgsql span of their own (see PurchasesDataSource).
    /// </summary>
    public static bool IsOwnClientSpan(Activity? activity) => activity is { Kind: ActivityKind.Client } && activity.Source == Source;

    /// <summary>For an exception filter: marks the span failed and lets the exception go on.</summary>
    public static bool Failed(Activity? activity, Exception e)
    {
        activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
        return false;
    }

    /// <summary>The W3C traceparent of the current span, as it travels in headers and workflow parameters.</summary>
    public static string? CurrentTraceParent() => Activity.Current is { IdFormat: ActivityIdFormat.W3C } a ? a.Id : null;
}
