using System.CommandLine;
using System.Text.Json;
using NodaTime;
using Npgsql;
using Purchases.Features.RetryWorkflow;
using Purchases.Infrastructure.Argo;
using Purchases.Infrastructure.Persistence;

namespace Purchases.Cli;

/// <summary><c>workflows retry</c>: the admin API's retry from a shell, with the same rules and answers.</summary>
public static class WorkflowCommands
{
    static readonly string RetriedBy = $"cli:{Environment.UserName}";

    public static Command Workflows(CliContext cli) => new("workflows", "The operator's view of the purchases' Argo workflows.")
        { Retry(cli) };

    static Command Retry(CliContext cli)
    {
        var ids = new Argument<string[]>("purchase-id") { Arity = ArgumentArity.OneOrMore, Description = "failed purchases" };
        var dryRun = new Option<bool>("--dry-run") { Description = "only say what a retry would do" };
        var json = new Option<bool>("--json") { Description = "print the admin API's JSON instead of a line" };
        var retry = new Command("retry", "Retry failed purchases' workflows: in place in Argo, or created again.")
            { ids, dryRun, json };
        retry.SetAction(cli.Action(async (parsed, services, ct) =>
        {
            var dataSource = services.GetRequiredService<NpgsqlDataSource>();
            var argo = services.GetRequiredService<IArgoWorkflows>();
            var done = new List<string>();
            var refused = new List<string>();
            var recreated = false;
            foreach (var id in parsed.GetValue(ids) ?? [])
            {
                var now = services.GetRequiredService<IClock>().GetCurrentInstant();
                var result = await RetryWorkflowCommand.RunAsync(dataSource, argo, id, RetriedBy, now, parsed.GetValue(dryRun), ct);
                recreated |= result is RetryWorkflowResult.Done { Action: RetryAction.Recreated };
                switch (result)
                {
                    case RetryWorkflowResult.Done or RetryWorkflowResult.WouldDo:
                        var response = RetryWorkflowEndpoint.ResponseFor(Guid.Parse(id), result);
                        done.Add(parsed.GetValue(json) ? JsonSerializer.Serialize(response, cli.Json) : response.Message);
                        break;
                    case RetryWorkflowResult.NotFound: refused.Add($"{id}: Purchase not found."); break;
                    case RetryWorkflowResult.NotFailed: refused.Add($"{id}: {RetryWorkflowCommand.NotFailedMessage}"); break;
                    case RetryWorkflowResult.Refused r: refused.Add($"{id}: {RetryWorkflowCommand.RefusedMessage(r.Message)}"); break;
                    case RetryWorkflowResult.ArgoUnavailable a: refused.Add($"{id}: {RetryWorkflowCommand.ArgoUnavailableMessage(a.Error)}"); break;
                }
            }
            if (recreated) await DatabaseNotifications.NotifyAsync(dataSource, DatabaseNotifications.OutboxChannel, ct);
            if (refused.Count > 0)
                throw new CliFailure(string.Join("; ", refused) + (done.Count > 0 ? $" ({done.Count} others were retried.)" : ""));
            return string.Join('\n', done);
        }));
        return retry;
    }
}
