using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Purchases.Infrastructure.Persistence;

namespace Purchases.Infrastructure.Outbox;

/// <summary>Adds a purchase's outbox entry to the caller's batch, so it commits or rolls back with the purchase.</summary>
public static class OutboxWriter
{
    public static string WorkflowNameFor(Guid purchaseId) => $"purchase-{purchaseId:D}";

    public static void AddWorkflowCreate(NpgsqlBatch batch, Guid purchaseId, string user, string retailerId,
        NodaTime.Instant now, string? traceParent)
    {
        var payload = JsonSerializer.Serialize(new OutboxPayload(user, retailerId));
        var command = new NpgsqlBatchCommand(
            """
            INSERT INTO outbox_entries (id, purchase_id, payload, workflow_name, next_attempt_at, created_at, updated_at, trace_parent)
            VALUES ($1, $2, $3, $4, $5, $5, $5, $6)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
        command.Parameters.Add(new NpgsqlParameter { Value = purchaseId });
        command.Parameters.Add(new NpgsqlParameter { Value = payload, NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = WorkflowNameFor(purchaseId) });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)traceParent ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        batch.BatchCommands.Add(command);
    }
}

/// <summary>What the drain needs besides the purchase id; template and namespace are resolved at send time.</summary>
public sealed record OutboxPayload(
    [property: System.Text.Json.Serialization.JsonPropertyName("user")] string User,
    [property: System.Text.Json.Serialization.JsonPropertyName("retailer_id")] string RetailerId);
