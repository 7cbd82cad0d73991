using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Purchases.Infrastructure.Argo;
using Purchases.Infrastructure.Reconcile;

using Purchases.Infrastructure.Webhooks;

namespace Purchases.Features.RetryWorkflows;

/// <summary>Every failed purchase matching the filters (newest first, at most the limit), each retried as one retry would.</summary>
public static class RetryWorkflowsCommand
{
    const int Parallelism = 8;

    public static async Task<RetryWorkflowsResponse> RunAsync(NpgsqlDataSource dataSource, IArgoWorkflows argo, IClock clock,
        IOptions<ReconcileOptions> options, WebhookOptions webhooks, RetryWorkflowsRequest request, string retriedBy,
        CancellationToken ct)
    {
        request.Condition = WorkflowFilterParameters.Failed;
        var ids = await CandidatesAsync(dataSource, clock, options, request, ct);
        var results = new ConcurrentBag<(Guid Id, RetryWorkflowResult Result)>();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct },
            async (id, token) => results.Add((id, await WorkflowRetry.RunAsync(dataSource, argo, webhooks, id.ToString(), retriedBy,
                clock.GetCurrentInstant(), request.IsDryRun, token))));

        int Count(RetryAction action) => results.Count(r => r.Result switch
        {
            RetryWorkflowResult.Done d => d.Action == action,
            RetryWorkflowResult.WouldDo w => w.Action == action,
            _ => false,
        });
        var refused = results.Select(r => r.Result switch
            {
                RetryWorkflowResult.Refused x => new RetryRefusal(r.Id, WorkflowRetry.RefusedMessage(x.Message)),
                RetryWorkflowResult.ArgoUnavailable x => new RetryRefusal(r.Id, WorkflowRetry.ArgoUnavailableMessage(x.Error)),
                _ => null,
            }).OfType<RetryRefusal>().OrderBy(r => r.PurchaseId).ToList();
        var (inPlace, recreated) = (Count(RetryAction.RetriedInPlace), Count(RetryAction.Recreated));
        return new RetryWorkflowsResponse(request.IsDryRun ? 0 : inPlace + recreated, inPlace, recreated, request.IsDryRun, refused);
    }

    static async Task<List<Guid>> CandidatesAsync(NpgsqlDataSource dataSource, IClock clock, IOptions<ReconcileOptions> options,
        RetryWorkflowsRequest request, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand();
        var where = new StringBuilder("WHERE true");
        request.AppendTo(where, command, clock.GetCurrentInstant() - Duration.FromTimeSpan(options.Value.StuckAfter));
        command.Parameters.Add(new NpgsqlParameter { Value = request.MaxPurchases });
        command.CommandText = $"SELECT p.id FROM purchases p {where} ORDER BY p.created_at DESC, p.id DESC LIMIT ${command.Parameters.Count}";
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetGuid(0));
        return ids;
    }
}
