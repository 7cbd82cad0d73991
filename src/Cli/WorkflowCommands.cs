using Purchases.Infrastructure.Reconcile;
using System.CommandLine;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Purchases.Features.ListWorkflows;
using Purchases.Features.RetryWorkflows;
using NodaTime;
using Npgsql;
using Purchases.Features.RetryWorkflow;
using Purchases.Infrastructure.Argo;
using Purchases.Infrastructure.Persistence;

using Purchases.Infrastructure.Webhooks;

namespace Purchases.Cli;

/// <summary><c>workflows retry</c>: the admin API's retry from a shell, with the same rules and answers.</summary>
public static class WorkflowCommands
{
    static readonly string RetriedBy = $"cli:{Environment.UserName}";

    public static Command Workflows(CliContext cli) => new("workflows", "The operator's view of the purchases' Argo workflows.")
        { List(cli), Retry(cli) };

    static FilterOptions<WorkflowFilterParameters> Filters() => new(
        new Option<string>("--condition") { Description = "failed or stuck; both when omitted" }, (p, v) => p.Condition = v,
        "text in the error or Argo's message");

    static Command List(CliContext cli)
    {
        var filters = Filters();
        var limit = new Option<string>("--limit") { Description = "1 to 1000, default 100" };
        var cursor = new Option<string>("--cursor") { Description = "next_cursor of the previous page" };
        var json = new Option<bool>("--json") { Description = "print the admin API's JSON instead of a table" };
        var list = new Command("list", "Failed or stuck purchases' workflows, newest first.") { limit, cursor, json };
        filters.AddTo(list);
        list.SetAction(cli.Action(async (parsed, services, ct) =>
        {
            var request = filters.Read(parsed, new ListWorkflowsRequest { Limit = parsed.GetValue(limit), Cursor = parsed.GetValue(cursor) });
            CliContext.Validate(new ListWorkflowsValidator().Validate(request));
            var page = await ListWorkflowsQuery.RunAsync(services.GetRequiredService<NpgsqlDataSource>(),
                services.GetRequiredService<IClock>(), services.GetRequiredService<IOptions<ReconcileOptions>>(), request, ct);
            return parsed.GetValue(json) ? JsonSerializer.Serialize(page, cli.Json) : Table(page);
        }));
        return list;
    }

    static string Table(ListWorkflowsResponse page)
    {
        var text = new StringBuilder();
        text.AppendLine($"{"PURCHASE",-36}  {"CONDITION",-9}  {"PHASE",-9}  {"RETRIES",7}  {"USER",-16}  {"CREATED",-20}  ERROR");
        foreach (var w in page.Items)
            text.AppendLine($"{w.PurchaseId,-36}  {w.Condition,-9}  {w.Phase ?? "-",-9}  {w.RetryCount,7}  {CliContext.Cut(w.User, 16),-16}  " +
                            $"{CliContext.Format(w.CreatedAt),-20}  {CliContext.Cut(w.Error ?? w.Message ?? "", 60)}");
        text.Append(page.NextCursor is null ? $"{page.Items.Count} purchases." : $"{page.Items.Count} purchases; more with --cursor {page.NextCursor}");
        return text.ToString();
    }

    static Command Retry(CliContext cli)
    {
        var ids = new Argument<string[]>("purchase-id") { Arity = ArgumentArity.ZeroOrMore, Description = "failed purchases" };
        var allFailed = new Option<bool>("--all-failed") { Description = "every failed purchase matching the filters (at most --limit)" };
        var limit = new Option<string>("--limit") { Description = "with --all-failed: at most this many, 1 to 1000 (default 1000)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "only say what a retry would do" };
        var json = new Option<bool>("--json") { Description = "print the admin API's JSON instead of a line" };
        var filters = Filters();
        var retry = new Command("retry", "Retry failed purchases' workflows: in place in Argo, or created again.")
            { ids, allFailed, limit, dryRun, json };
        filters.AddTo(retry);
        retry.SetAction(cli.Action(async (parsed, services, ct) =>
        {
            var dataSource = services.GetRequiredService<NpgsqlDataSource>();
            var argo = services.GetRequiredService<IArgoWorkflows>();
            var given = parsed.GetValue(ids) ?? [];
            if (parsed.GetValue(allFailed) == (given.Length > 0))
                throw new CliFailure("Give either purchase ids or --all-failed.");
            if (parsed.GetValue(allFailed))
            {
                var request = filters.Read(parsed, new RetryWorkflowsRequest
                    { DryRun = parsed.GetValue(dryRun) ? "true" : null, Limit = parsed.GetValue(limit) });
                CliContext.Validate(new RetryWorkflowsValidator().Validate(request));
                var result = await RetryWorkflowsCommand.RunAsync(dataSource, argo, services.GetRequiredService<IClock>(),
                    services.GetRequiredService<IOptions<ReconcileOptions>>(),
                    services.GetRequiredService<IOptions<WebhookOptions>>().Value, request, RetriedBy, ct);
                if (result.Retried > 0)
                    await DatabaseNotifications.NotifyAsync(dataSource, DatabaseNotifications.OutboxChannel, ct);
                return parsed.GetValue(json) ? JsonSerializer.Serialize(result, cli.Json) : result.DryRun
                    ? $"{result.RetriedInPlace} would be retried in place, {result.Recreated} created again."
                    : $"{result.Retried} retried ({result.RetriedInPlace} in place, {result.Recreated} created again), {result.Refused.Count} refused." +
                      string.Concat(result.Refused.Select(r => $"\n{r.PurchaseId}: {r.Error}"));
            }

            var done = new List<string>();
            var refused = new List<string>();
            var retried = false;
            foreach (var id in given)
            {
                var now = services.GetRequiredService<IClock>().GetCurrentInstant();
                var result = await WorkflowRetry.RunAsync(dataSource, argo,
                    services.GetRequiredService<IOptions<WebhookOptions>>().Value, id, RetriedBy, now, parsed.GetValue(dryRun), ct);
                retried |= result is RetryWorkflowResult.Done;
                switch (result)
                {
                    case RetryWorkflowResult.Done or RetryWorkflowResult.WouldDo:
                        var response = RetryWorkflowEndpoint.ResponseFor(Guid.Parse(id), result);
                        done.Add(parsed.GetValue(json) ? JsonSerializer.Serialize(response, cli.Json) : response.Message);
                        break;
                    case RetryWorkflowResult.NotFound: refused.Add($"{id}: Purchase not found."); break;
                    case RetryWorkflowResult.NotFailed: refused.Add($"{id}: {WorkflowRetry.NotFailedMessage}"); break;
                    case RetryWorkflowResult.Refused r: refused.Add($"{id}: {WorkflowRetry.RefusedMessage(r.Message)}"); break;
                    case RetryWorkflowResult.ArgoUnavailable a: refused.Add($"{id}: {WorkflowRetry.ArgoUnavailableMessage(a.Error)}"); break;
                }
            }
            if (retried) await DatabaseNotifications.NotifyAsync(dataSource, DatabaseNotifications.OutboxChannel, ct);
            if (refused.Count > 0)
                throw new CliFailure(string.Join("; ", refused) + (done.Count > 0 ? $" ({done.Count} others were retried.)" : ""));
            return string.Join('\n', done);
        }));
        return retry;
    }
}
