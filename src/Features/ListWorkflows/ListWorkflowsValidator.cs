using FastEndpoints;
using FluentValidation;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Reconcile;

namespace Purchases.Features.ListWorkflows;

public sealed class ListWorkflowsValidator : Validator<ListWorkflowsRequest>
{
    public ListWorkflowsValidator()
    {
        Include(new WorkflowFilterRules());
        Include(new PageRules());
    }
}
