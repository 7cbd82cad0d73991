using System.CommandLine;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Purchases.Features.ListWebhooks;
using Purchases.Features.RegisterWebhook;
using Purchases.Features.RemoveWebhook;
using Purchases.Features.RotateWebhookSecret;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Persistence;
using Purchases.Infrastructure.Webhooks;

namespace Purchases.Cli;

/// <summary><c>webhooks add|list|remove|rotate</c>: a customer's endpoints, by the same slices as the API.</summary>
public static class WebhookCommands
{
    public static Command Webhooks(CliContext cli) =>
        new("webhooks", "A customer's webhook endpoints.") { Add(cli), List(cli), Remove(cli), Rotate(cli) };

    static Argument<string> User() => new("user") { Description = "The customer." };
    static Argument<string> Id() => new("id") { Description = "The endpoint's id." };
    static Option<bool> JsonOption() => new("--json") { Description = "print the API's JSON" };

    static Command Add(CliContext cli)
    {
        var (user, json) = (User(), JsonOption());
        var url = new Argument<string>("url") { Description = "Where events are POSTed (https, public address)." };
        var events = new Option<string[]>("--event")
        {
            Description = $"{string.Join(", ", WebhookEvent.All)}; repeat for more; all when omitted",
            AllowMultipleArgumentsPerToken = true,
        };
        var add = new Command("add", "Register an endpoint and print its secret (shown only now).") { user, url, events, json };
        add.SetAction(cli.Action(async (parsed, services, ct) =>
        {
            var request = new RegisterWebhookRequest
            {
                User = parsed.GetRequiredValue(user), Url = parsed.GetRequiredValue(url),
                Events = parsed.GetValue(events) is { Length: > 0 } given ? given : WebhookEvent.All,
            };
            CliContext.Validate(new RegisterWebhookValidator().Validate(request));
            var result = await RegisterWebhookCommand.RunAsync(services.GetRequiredService<NpgsqlDataSource>(),
                services.GetRequiredService<WebhookSecrets>(), services.GetRequiredService<IOptions<WebhookOptions>>().Value,
                request.User, request.Url, request.Events, Now(services), ct);
            return result switch
            {
                RegisterWebhookCommand.Result.Registered(var r) => parsed.GetValue(json)
                    ? JsonSerializer.Serialize(r, cli.Json)
                    : $"{r.Message}\nid      {r.Id}\nsecret  {r.Secret}",
                RegisterWebhookCommand.Result.Refused(var message) => throw new CliFailure(message),
                RegisterWebhookCommand.Result.LimitReached(var message) => throw new CliFailure(message),
                _ => throw new CliFailure(RegisterWebhookCommand.UnknownCustomerMessage),
            };
        }));
        return add;
    }

    static Command List(CliContext cli)
    {
        var (user, json) = (User(), JsonOption());
        var list = new Command("list", "The customer's endpoints (never their secrets).") { user, json };
        list.SetAction(cli.Action(async (parsed, services, ct) =>
        {
            var page = await ListWebhooksQuery.RunAsync(services.GetRequiredService<NpgsqlDataSource>(),
                parsed.GetRequiredValue(user), Now(services), ct);
            if (parsed.GetValue(json)) return JsonSerializer.Serialize(page, cli.Json);
            var text = new StringBuilder($"{"ID",-36}  {"CREATED",-20}  {"EVENTS",-56}  URL\n");
            foreach (var w in page.Items)
                text.AppendLine($"{w.Id,-36}  {CliContext.Format(w.CreatedAt),-20}  {string.Join(',', w.Events),-56}  {w.Url}");
            return text.Append($"{page.Items.Count} endpoints.").ToString();
        }));
        return list;
    }

    static Command Remove(CliContext cli)
    {
        var (user, id) = (User(), Id());
        var remove = new Command("remove", "Remove an endpoint: nothing more is sent to it.") { user, id };
        remove.SetAction(cli.Action(async (parsed, services, ct) =>
            await RemoveWebhookCommand.RunAsync(services.GetRequiredService<NpgsqlDataSource>(), parsed.GetRequiredValue(user),
                parsed.GetRequiredValue(id), Now(services), ct)
                ? $"Webhook endpoint {parsed.GetRequiredValue(id)} removed."
                : throw new CliFailure(ApiErrors.WebhookNotFound)));
        return remove;
    }

    static Command Rotate(CliContext cli)
    {
        var (user, id, json) = (User(), Id(), JsonOption());
        var rotate = new Command("rotate", "A new secret, printed once; the previous one signs for the grace period.") { user, id, json };
        rotate.SetAction(cli.Action(async (parsed, services, ct) =>
        {
            var rotated = await RotateWebhookSecretCommand.RunAsync(services.GetRequiredService<NpgsqlDataSource>(),
                services.GetRequiredService<WebhookSecrets>(), services.GetRequiredService<IOptions<WebhookOptions>>().Value,
                parsed.GetRequiredValue(user), parsed.GetRequiredValue(id), Now(services), ct)
                ?? throw new CliFailure(ApiErrors.WebhookNotFound);
            return parsed.GetValue(json) ? JsonSerializer.Serialize(rotated, cli.Json) : $"{rotated.Message}\nsecret  {rotated.Secret}";
        }));
        return rotate;
    }

    static Instant Now(IServiceProvider services) => services.GetRequiredService<IClock>().GetCurrentInstant();
}
