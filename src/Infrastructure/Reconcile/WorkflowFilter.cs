using System.Text;
using FastEndpoints;
using FluentValidation;
using NodaTime;
using NodaTime.Text;
using Npgsql;

namespace Purchases.Infrastructure.Reconcile;

/// <summary>
/// The operators' filters on purchases by their workflow, as raw query values (API) or options (CLI); shared by the
/// list and the bulk retry. <c>condition</c>: <c>failed</c> (the purchase failed), <c>stuck</c> (not final, no
/// progress for <c>Reconcile:StuckAfter</c>), or both when omitted.
/// </summary>
public abstract class WorkflowFilterParameters
{
    public const string Failed = "failed";
    public const string Stuck = "stuck";

    [QueryParam]
    public string? Condition { get; set; }
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
    /// <summary>Text that the purchase's <c>error</c> or the workflow's message contains, ignoring case.</summary>
    [QueryParam]
    public string? ErrorContains { get; set; }

    /// <summary>Appends <c>AND …</c> conditions on <c>purchases p</c> to <paramref name="where"/>.</summary>
    public void AppendTo(StringBuilder where, NpgsqlCommand command, Instant stuckSince)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = stuckSince });
        var stuck = WorkflowStatistics.StuckCondition(command.Parameters.Count);
        where.Append(Condition switch
        {
            Failed => " AND p.status = 'failed'",
            Stuck => $" AND {stuck}",
            _ => $" AND (p.status = 'failed' OR {stuck})",
        });
        Add(User, "p.\"user\" = ${0}");
        Add(RetailerId, "p.retailer_id = ${0}");
        Add(PurchaseId is null ? null : Guid.Parse(PurchaseId), "p.id = ${0}");
        Add(ParseInstant(CreatedFrom), "p.created_at >= ${0}");
        Add(ParseInstant(CreatedTo), "p.created_at < ${0}");
        Add(ErrorContains, "(strpos(lower(p.error), lower(${0})) > 0 OR strpos(lower(p.workflow_message), lower(${0})) > 0)");

        void Add(object? value, string condition)
        {
            if (value is null) return;
            command.Parameters.Add(new NpgsqlParameter { Value = value });
            where.Append(" AND ").AppendFormat(condition, command.Parameters.Count);
        }
    }

    static Instant? ParseInstant(string? text) => text is null ? null : InstantPattern.ExtendedIso.Parse(text).GetValueOrThrow();
}

public sealed class WorkflowFilterRules : AbstractValidator<WorkflowFilterParameters>
{
    public WorkflowFilterRules()
    {
        RuleFor(p => p.Condition).Must(c => c is null or WorkflowFilterParameters.Failed or WorkflowFilterParameters.Stuck)
            .WithMessage("Query parameter \"condition\" must be one of: failed, stuck.");
        RuleFor(p => p.PurchaseId).Must(id => id is null || Guid.TryParseExact(id, "D", out _))
            .WithMessage("Query parameter \"purchase_id\" must be a UUID.");
        RuleFor(p => p.CreatedFrom).Must(IsInstant)
            .WithMessage("Query parameter \"created_from\" must be an RFC 3339 UTC timestamp (e.g., \"2025-11-10T09:00:00Z\").");
        RuleFor(p => p.CreatedTo).Must(IsInstant)
            .WithMessage("Query parameter \"created_to\" must be an RFC 3339 UTC timestamp (e.g., \"2025-11-10T09:00:00Z\").");
    }

    static bool IsInstant(string? text) => text is null || InstantPattern.ExtendedIso.Parse(text).Success;
}
