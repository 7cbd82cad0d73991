using FastEndpoints;
using Purchases.Infrastructure.Outbox;

namespace Purchases.Features.ReplayOutboxEntries;

/// <summary>The list filters; <c>state</c> defaults to <c>failed</c>. <c>dry_run=true</c> only counts.</summary>
public sealed class ReplayOutboxEntriesRequest : OutboxFilterParameters
{
    [QueryParam]
    public string? DryRun { get; set; }

    public bool IsDryRun => DryRun is "true" or "1";
}
