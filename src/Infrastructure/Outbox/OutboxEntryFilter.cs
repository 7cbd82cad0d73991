using FastEndpoints;
using System.Text;
using FluentValidation;
using NodaTime;
using NodaTime.Text;
using Npgsql;
using Purchases.Infrastructure.Persistence;

namespace Purchases.Infrastructure.Outbox;

/// <summary>The operators' filters, as raw query values (API) or options (CLI); shared by listing and bulk replay.</summary>
public abstract class OutboxFilterParameters
{
    [QueryParam]
    public string? State { get; set; }
    [QueryParam]
    public string? User { get; set; }
    [QueryParam]
    public string? RetailerId { get; set; }
    [QueryParam]
    public string? PurchaseId { get; set; }
    [QueryParam]
    public string? CreatedFrom { get; set; }
    [QueryParam]
    public string? CreatedTo { get; set; }
    /// <summary>Text that <c>last_error</c> contains, ignoring case.</summary>
    [QueryParam]
    public string? ErrorContains { get; set; }

    public OutboxEntryFilter ToFilter() => new(
        State, User, RetailerId, PurchaseId is null ? null : Guid.Parse(PurchaseId),
        ParseInstant(CreatedFrom), ParseInstant(CreatedTo), ErrorContains);

    internal static Instant? ParseInstant(string? text) =>
        text is null ? null : InstantPattern.ExtendedIso.Parse(text).GetValueOrThrow();
}

public sealed class OutboxFilterRules : AbstractValidator<OutboxFilterParameters>
{
    public static readonly string[] States = [OutboxState.Pending, OutboxState.Submitted, OutboxState.Failed];

    public OutboxFilterRules()
    {
        RuleFor(p => p.State).Must(s => s is null || States.Contains(s))
            .WithMessage($"Query parameter \"state\" must be one of: {string.Join(", ", States)}.");
        RuleFor(p => p.PurchaseId).Must(id => id is null || Guid.TryParseExact(id, "D", out _))
            .WithMessage("Query parameter \"purchase_id\" must be a UUID.");
        RuleFor(p => p.CreatedFrom).Must(IsInstant)
            .WithMessage("Query parameter \"created_from\" must be an RFC 3339 UTC timestamp (e.g., \"2025-11-10T09:00:00Z\").");
        RuleFor(p => p.CreatedTo).Must(IsInstant)
            .WithMessage("Query parameter \"created_to\" must be an RFC 3339 UTC timestamp (e.g., \"2025-11-10T09:00:00Z\").");
    }

    static bool IsInstant(string? text) => text is null || InstantPattern.ExtendedIso.Parse(text).Success;
}

/// <summary>
/// Filters on outbox entries (joined to their purchase as <c>p</c>): every set field must match; the creation range
/// is <c>[CreatedFrom, CreatedTo)</c>.
/// </summary>
public sealed record OutboxEntryFilter(
    string? State = null, string? User = null, string? RetailerId = null, Guid? PurchaseId = null,
    Instant? CreatedFrom = null, Instant? CreatedTo = null, string? ErrorContains = null)
{
    public void AppendTo(StringBuilder where, NpgsqlCommand command)
    {
        Add(State, "e.state = ${0}");
        Add(User, "p.\"user\" = ${0}");
        Add(RetailerId, "p.retailer_id = ${0}");
        Add(PurchaseId, "e.purchase_id = ${0}");
        Add(CreatedFrom, "e.created_at >= ${0}");
        Add(CreatedTo, "e.created_at < ${0}");
        Add(ErrorContains, "strpos(lower(e.last_error), lower(${0})) > 0");

        void Add(object? value, string condition)
        {
            if (value is null) return;
            command.Parameters.Add(new NpgsqlParameter { Value = value });
            where.Append(" AND ").AppendFormat(condition, command.Parameters.Count);
        }
    }
}
