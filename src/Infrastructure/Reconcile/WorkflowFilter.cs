using System.Text;
using FastEndpoints;
using FluentValidation;
using NodaTime;
using Npgsql;
using Purchases.Infrastructure.Api;

namespace Purchases.Infrastructure.Reconcile;

/// <summary>
/// The operators' filters on purchases by their workflow, as raw query values (API) or options (CLI); shared by the
/// list and the bulk retry. <c>condition</c>: <c>failed</c> (the purchase failed), <c>stuck</c> (not final, no
/// progress for <c>Reconcile:StuckAfter</c>), or both when omitted.
/// </summary>
public abstract class WorkflowFilterParameters : PurchaseFilterParameters
{
    public const string Failed = "failed";
    public const string Stuck = "stuck";

    [QueryParam]
    public string? Condition { get; set; }

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
        Add(PurchaseGuid, "p.id = ${0}");
        Add(CreatedFromInstant, "p.created_at >= ${0}");
        Add(CreatedToInstant, "p.created_at < ${0}");
        Add(ErrorContains, "(strpos(lower(p.error), lower(${0})) > 0 OR strpos(lower(p.workflow_message), lower(${0})) > 0)");

        void Add(object? value, string condition) => Paging.AppendCondition(where, command, value, condition);
    }
}

public sealed class WorkflowFilterRules : AbstractValidator<WorkflowFilterParameters>
{
    public WorkflowFilterRules()
    {
        RuleFor(p => p.Condition).Must(c => c is null or WorkflowFilterParameters.Failed or WorkflowFilterParameters.Stuck)
            .WithMessage("Query parameter \"condition\" must be one of: failed, stuck.");
        Include(new PurchaseFilterRules());
    }
}
