namespace Purchases.Infrastructure.Argo;

/// <summary>
/// The workflow of one purchase in Argo: created idempotently (the name is the idempotency key), read back for its
/// phase, retried in place. None of these throws for HTTP or network failures (they are outcomes); only when the
/// caller's token is cancelled.
/// </summary>
public interface IArgoWorkflows
{
    Task<CreateOutcome> CreateAsync(WorkflowRequest request, CancellationToken ct);

    /// <summary>GET with <c>fields</c>, so only the name, labels and the status' phase, message and times travel.</summary>
    Task<WorkflowReading> ReadAsync(string name, CancellationToken ct);

    /// <summary>
    /// One list call with the label selector <c>purchases/purchase-id in (…)</c> (at most <see cref="MaxListed"/>
    /// purchases, so the URL stays short) and <c>fields</c>: the phases of those that Argo's server has in its
    /// cache. A workflow missing from the answer is not necessarily gone: read it with <see cref="ReadAsync"/>.
    /// </summary>
    Task<WorkflowListing> ListAsync(IReadOnlyCollection<Guid> purchaseIds, CancellationToken ct);

    const int MaxListed = 50;

    /// <summary><c>PUT …/{name}/retry</c>: the same workflow, its failed steps run again.</summary>
    Task<RetryOutcome> RetryAsync(string name, CancellationToken ct);
}

/// <param name="Name">The workflow's metadata.name, derived deterministically from the purchase id.</param>
/// <param name="TraceParent">The W3C traceparent the workflow passes to its report-back, so it joins the purchase's trace.</param>
public sealed record WorkflowRequest(string Name, Guid PurchaseId, string User, string RetailerId, string? TraceParent = null);

public abstract record CreateOutcome
{
    CreateOutcome() { }

    /// <summary>Argo answered 2xx.</summary>
    public sealed record Created(string? Uid) : CreateOutcome;

    /// <summary>409, and the read-back shows our purchase-id label: created earlier (e.g. before a crash).</summary>
    public sealed record AlreadyExists(string? Uid) : CreateOutcome;

    /// <summary>409, and the workflow of that name belongs to another purchase (or has no purchase-id label).</summary>
    public sealed record NameCollision(string Error) : CreateOutcome;

    /// <summary>Anything else. <paramref name="Status"/> is null for timeouts and connection errors.</summary>
    public sealed record Failed(int? Status, string Error, TimeSpan? RetryAfter) : CreateOutcome;
}

/// <summary>What Argo says about a workflow now.</summary>
public abstract record WorkflowReading
{
    WorkflowReading() { }

    /// <param name="Phase">Argo's <c>status.phase</c>: "" (not yet seen by the controller), Pending, Running, Succeeded, Failed or Error.</param>
    public sealed record Found(string Phase, string? Message, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt) : WorkflowReading;

    /// <summary>404: the workflow does not exist (deleted, or garbage-collected and not archived).</summary>
    public sealed record NotFound : WorkflowReading;

    public sealed record Failed(int? Status, string Error) : WorkflowReading;
}

public abstract record WorkflowListing
{
    WorkflowListing() { }

    /// <summary>By workflow name; a live workflow wins over its archived copy (Argo lists both).</summary>
    public sealed record Listed(IReadOnlyDictionary<string, WorkflowReading.Found> Workflows) : WorkflowListing;

    public sealed record Failed(int? Status, string Error) : WorkflowListing;
}

public abstract record RetryOutcome
{
    RetryOutcome() { }

    public sealed record Retried(string Phase) : RetryOutcome;

    public sealed record NotFound : RetryOutcome;

    /// <summary>Argo's 400: not retryable in its phase (e.g. "Cannot retry a workflow in phase Running").</summary>
    public sealed record Refused(string Message) : RetryOutcome;

    public sealed record Failed(int? Status, string Error) : RetryOutcome;
}
