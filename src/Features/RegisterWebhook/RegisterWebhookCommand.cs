using NodaTime;
using Npgsql;
using Purchases.Infrastructure.Persistence;
using Purchases.Infrastructure.Webhooks;

namespace Purchases.Features.RegisterWebhook;

/// <summary>Registers an endpoint with a new secret; the API and the CLI both run this.</summary>
public static class RegisterWebhookCommand
{
    public abstract record Result
    {
        public sealed record Registered(RegisterWebhookResponse Response) : Result;
        public sealed record Refused(string Message) : Result;
        public sealed record LimitReached(string Message) : Result;
        public sealed record UnknownCustomer : Result;
    }

    public const string UnknownCustomerMessage = "Customer not found.";

    public static string LimitMessage(int max) =>
        $"A customer may have at most {max} webhook endpoints; remove one first.";

    public static string RegisteredMessage(Guid id) =>
        $"Webhook endpoint {id} registered. Keep its secret now: it is not shown again.";

    public static async Task<Result> RunAsync(NpgsqlDataSource dataSource, WebhookSecrets secrets, WebhookOptions options,
        string user, string? url, IReadOnlyCollection<string> events, Instant now, CancellationToken ct)
    {
        if (await WebhookUrlCheck.RefusalAsync(url, options, ct) is { } refusal) return new Result.Refused(refusal);

        var id = Guid.CreateVersion7();
        var secret = WebhookSecrets.NewSecret();
        var subscribed = WebhookEvent.All.Where(events.Contains).ToArray();
        // The customer's row is locked so that two registrations at once cannot pass the limit together.
        await using var command = dataSource.CreateCommand("""
            WITH customer AS (SELECT 1 FROM customers WHERE "user" = $2 FOR UPDATE),
            inserted AS (
                INSERT INTO webhook_endpoints (id, "user", url, events, protected_secret, created_at, updated_at)
                SELECT $1, $2, $3, $4, $5, $6, $6 FROM customer
                WHERE (SELECT count(*) FROM webhook_endpoints WHERE "user" = $2 AND deleted_at IS NULL) < $7
                RETURNING 1)
            SELECT EXISTS (SELECT 1 FROM customer), EXISTS (SELECT 1 FROM inserted)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = user });
        command.Parameters.Add(new NpgsqlParameter { Value = url! });
        command.Parameters.Add(new NpgsqlParameter { Value = subscribed });
        command.Parameters.Add(new NpgsqlParameter { Value = secrets.Protect(secret) });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = options.MaxEndpointsPerCustomer });
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            if (!reader.GetBoolean(0)) return new Result.UnknownCustomer();
            if (!reader.GetBoolean(1)) return new Result.LimitReached(LimitMessage(options.MaxEndpointsPerCustomer));
        }
        return new Result.Registered(new RegisterWebhookResponse(id, url!, subscribed, secret, now, RegisteredMessage(id)));
    }
}
