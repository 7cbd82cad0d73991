namespace Purchases.Infrastructure.Argo;

/// <summary>Creates the workflow of one purchase in Argo, idempotently (the name is the idempotency key).</summary>
public interface IArgoWorkflows
{
    /// <summary>Never throws for HTTP or network failures (they are <see cref="CreateOutcome.Failed"/>); only when <paramref name="ct"/> is cancelled.</summary>
    Task<CreateOutcome> CreateAsync(WorkflowRequest request, CancellationToken ct);
}

/// <param name="Name">The workflow's metadata.name, derived deterministically from the purchase id.</param>
public sealed record WorkflowRequest(string Name, Guid PurchaseId, string User, string RetailerId);

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
