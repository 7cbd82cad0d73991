using FastEndpoints;
using System.Text;
using FluentValidation;
using NodaTime;
using Npgsql;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Persistence;

namespace Purchases.Infrastructure.Outbox;

/// <summary>The outbox's filters: the shared ones and the entry's state; shared by listing and bulk replay.</summary>
public abstract class OutboxFilterParameters : PurchaseFilterParameters
{
    [QueryParam]
    public string? State { get; set; }

    /// <summary><c>argo.workflow.create</c> or <c>webhook.delivery</c>; both when unset.</summary>
    [QueryParam]
    public string? Kind { get; set; }

    public OutboxEntryFilter ToFilter() =>
        new(State, User, RetailerId, PurchaseGuid, CreatedFromInstant, CreatedToInstant, ErrorContains, Kind);
}

public sealed class OutboxFilterRules : AbstractValidator<OutboxFilterParameters>
{
    public static readonly string[] States = [OutboxState.Pending, OutboxState.Submitted, OutboxState.Failed];

    public OutboxFilterRules()
    {
        RuleFor(p => p.State).Must(s => s is null || States.Contains(s))
            .WithMessage($"Query parameter \"state\" must be one of: {string.Join(", ", States)}.");
        RuleFor(p => p.Kind).Must(k => k is null || OutboxKind.All.Contains(k))
            .WithMessage($"Query parameter \"kind\" must be one of: {string.Join(", ", OutboxKind.All)}.");
        Include(new PurchaseFilterRules());
    }
}

/// <summary>
/// Filters on outbox entries (joined to their purchase as <c>p</c>): every set field must match; the creation range
/// is <c>[CreatedFrom, CreatedTo)</c>.
/// </summary>
public sealed record OutboxEntryFilter(
    string? State = null, string? User = null, string? RetailerId = null, Guid? PurchaseId = null,
    Instant? CreatedFrom = null, Instant? CreatedTo = null, string? ErrorContains = null, string? Kind = null)
{
    public void AppendTo(StringBuilder where, NpgsqlCommand command)
    {
        Add(State, "e.state = ${0}");
        Add(User, "p.\"user\" = ${0}");
        Add(RetailerId, "p.retailer_id = ${0}");
        // Spelled per kind: each kind's index on purchase_id is partial, and a bare equality would read the table.
        Add(PurchaseId, "(e.kind = 'argo.workflow.create' AND e.purchase_id = ${0} OR e.kind = 'webhook.delivery' AND e.purchase_id = ${0})");
        Add(CreatedFrom, "e.created_at >= ${0}");
        Add(CreatedTo, "e.created_at < ${0}");
        Add(ErrorContains, "strpos(lower(e.last_error), lower(${0})) > 0");
        Add(Kind, "e.kind = ${0}");

        void Add(object? value, string condition) => Paging.AppendCondition(where, command, value, condition);
    }
}
