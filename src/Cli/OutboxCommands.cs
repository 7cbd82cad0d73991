using System.CommandLine;
using System.Text;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using Npgsql;
using Purchases.Features.GetOutboxStats;
using Purchases.Features.ListOutboxEntries;
using Purchases.Features.ReplayOutboxEntries;
using Purchases.Features.ReplayOutboxEntry;
using Purchases.Infrastructure.Outbox;
using Purchases.Infrastructure.Persistence;

namespace Purchases.Cli;

/// <summary>
/// <c>outbox list|stats|replay</c>: the admin API's slices run from a shell, with the same rules and answers
/// (<c>--json</c> prints the API's bodies). A replay from here nudges the running service through NOTIFY.
/// </summary>
public static class OutboxCommands
{
    static readonly string ReplayedBy = $"cli:{Environment.UserName}";

    public static Command Outbox(CliContext cli) =>
        new("outbox", "The operator's view of the outbox.") { List(cli), Stats(cli), Replay(cli) };

    static FilterOptions<OutboxFilterParameters> Filters() => new(
        new Option<string>("--state") { Description = "pending, submitted or failed" }, (p, v) => p.State = v, "text in last_error");

    static Option<string> KindOption() => new("--kind") { Description = "argo.workflow.create or webhook.delivery; both by default" };

    static Option<bool> JsonOption() => new("--json") { Description = "print the admin API's JSON instead of a table" };

    static Command List(CliContext cli)
    {
        var filters = Filters();
        var limit = new Option<string>("--limit") { Description = "1 to 1000, default 100" };
        var cursor = new Option<string>("--cursor") { Description = "next_cursor of the previous page" };
        var kind = KindOption();
        var json = JsonOption();
        var list = new Command("list", "Entries, newest first.") { limit, cursor, kind, json };
        filters.AddTo(list);
        list.SetAction(cli.Action(async (parsed, services, ct) =>
        {
            var request = filters.Read(parsed, new ListOutboxEntriesRequest
                { Limit = parsed.GetValue(limit), Cursor = parsed.GetValue(cursor), Kind = parsed.GetValue(kind) });
            CliContext.Validate(new ListOutboxEntriesValidator().Validate(request));
            var page = await ListOutboxEntriesQuery.RunAsync(services.GetRequiredService<NpgsqlDataSource>(), request, ct);
            return parsed.GetValue(json) ? JsonSerializer.Serialize(page, cli.Json) : Table(page);
        }));
        return list;
    }

    static Command Stats(CliContext cli)
    {
        var json = JsonOption();
        var stats = new Command("stats", "Counts per state, the oldest pending entry's age, the last submission.") { json };
        stats.SetAction(cli.Action(async (parsed, services, ct) =>
        {
            var s = await GetOutboxStatsEndpoint.ReadAsync(services.GetRequiredService<OutboxStatistics>(), ct);
            return parsed.GetValue(json)
                ? JsonSerializer.Serialize(s, cli.Json)
                : $"pending    {s.Pending}\nsubmitted  {s.Submitted}\nfailed     {s.Failed}\n" +
                  $"oldest pending age  {s.OldestPendingAgeSeconds:0.###} s\nlast submitted at   {CliContext.Format(s.LastSubmittedAt)}" +
                  string.Concat(s.ByKind.Select(k =>
                      $"\n{k.Key,-21}  pending {k.Value.Pending}, submitted {k.Value.Submitted}, failed {k.Value.Failed}"));
        }));
        return stats;
    }

    static Command Replay(CliContext cli)
    {
        var ids = new Argument<string[]>("id") { Arity = ArgumentArity.ZeroOrMore, Description = "outbox entry ids" };
        var allFailed = new Option<bool>("--all-failed") { Description = "every failed entry matching the filters, atomically" };
        var dryRun = new Option<bool>("--dry-run") { Description = "with --all-failed: only count" };
        var filters = Filters();
        var kind = KindOption();
        var json = JsonOption();
        var replay = new Command("replay", "Send entries again (to Argo, or a webhook): back to pending, attempts 0, due now.")
            { ids, allFailed, dryRun, kind, json };
        filters.AddTo(replay);
        replay.SetAction(cli.Action(async (parsed, services, ct) =>
        {
            var dataSource = services.GetRequiredService<NpgsqlDataSource>();
            var now = services.GetRequiredService<IClock>().GetCurrentInstant();
            var given = parsed.GetValue(ids) ?? [];
            if (parsed.GetValue(allFailed) == (given.Length > 0))
                throw new CliFailure("Give either entry ids or --all-failed.");

            if (parsed.GetValue(allFailed))
            {
                var request = filters.Read(parsed, new ReplayOutboxEntriesRequest
                    { DryRun = parsed.GetValue(dryRun) ? "true" : null, Kind = parsed.GetValue(kind) });
                request.State ??= OutboxState.Failed;
                CliContext.Validate(new ReplayOutboxEntriesValidator().Validate(request));
                var result = await ReplayOutboxEntriesCommand.RunAsync(dataSource, request, ReplayedBy, now, ct);
                if (result.Replayed > 0) await DatabaseNotifications.NotifyAsync(dataSource, DatabaseNotifications.OutboxChannel, ct);
                return parsed.GetValue(json) ? JsonSerializer.Serialize(result, cli.Json)
                    : result.WouldReplay is { } count ? $"{count} entries would be replayed." : $"{result.Replayed} entries replayed.";
            }

            var done = new List<string>();
            var refused = new List<string>();
            foreach (var id in given)
            {
                switch (await ReplayOutboxEntryCommand.RunAsync(dataSource, id, ReplayedBy, now, ct))
                {
                    case ReplayResult.Replayed:
                        done.Add(parsed.GetValue(json)
                            ? JsonSerializer.Serialize(new ReplayOutboxEntryResponse(Guid.Parse(id), "pending",
                                ReplayOutboxEntryCommand.ReplayedMessage(Guid.Parse(id))), cli.Json)
                            : ReplayOutboxEntryCommand.ReplayedMessage(Guid.Parse(id)));
                        break;
                    case ReplayResult.NotFound:
                        refused.Add($"{id}: {ReplayOutboxEntryCommand.NotFoundMessage}");
                        break;
                    default:
                        refused.Add($"{id}: {ReplayOutboxEntryCommand.AlreadySubmittedMessage}");
                        break;
                }
            }
            if (done.Count > 0) await DatabaseNotifications.NotifyAsync(dataSource, DatabaseNotifications.OutboxChannel, ct);
            if (refused.Count > 0)
                throw new CliFailure(string.Join("; ", refused) +
                                     (done.Count > 0 ? $" ({done.Count} other entries were replayed.)" : ""));
            return string.Join('\n', done);
        }));
        return replay;
    }

    static string Table(ListOutboxEntriesResponse page)
    {
        var text = new StringBuilder();
        text.AppendLine($"{"ID",-36}  {"KIND",-7}  {"STATE",-9}  {"ATT",3}  {"USER",-16}  {"RETAILER",-10}  {"CREATED",-20}  {"NEXT ATTEMPT",-20}  LAST ERROR");
        foreach (var e in page.Items)
            text.AppendLine($"{e.Id,-36}  {ShortKind(e.Kind),-7}  {e.State,-9}  {e.Attempts,3}  {CliContext.Cut(e.User, 16),-16}  {CliContext.Cut(e.RetailerId, 10),-10}  " +
                            $"{CliContext.Format(e.CreatedAt),-20}  {CliContext.Format(e.NextAttemptAt),-20}  {CliContext.Cut(e.LastError ?? "", 60)}");
        text.Append(page.NextCursor is null ? $"{page.Items.Count} entries." : $"{page.Items.Count} entries; more with --cursor {page.NextCursor}");
        return text.ToString();
    }

    static string ShortKind(string kind) => kind == OutboxKind.WebhookDelivery ? "webhook" : "argo";
}
