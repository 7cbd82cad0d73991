using NodaTime;
using Npgsql;

namespace Purchases.Infrastructure.Api;

/// <summary>
/// Where a purchase's Argo workflow stands, as get-purchase and the purchase list show it: its outbox entry (state,
/// attempts, submitted_at, last_error) and, once the reconciler has read it, Argo's phase, message and times.
/// </summary>
public sealed record WorkflowView(string Name, string State, int Attempts, Instant? SubmittedAt, string? LastError,
    string? Phase, string? Message, Instant? StartedAt, Instant? FinishedAt)
{
    /// <summary>The columns a query selects, in this order, for <see cref="Read"/>.</summary>
    public const string Columns = """
        e.workflow_name, e.state, e.attempts, e.submitted_at, e.last_error,
        p.workflow_phase, p.workflow_message, p.workflow_started_at, p.workflow_finished_at
        """;

    /// <summary>The view from <see cref="Columns"/> starting at <paramref name="first"/>; null without an outbox entry.</summary>
    public static WorkflowView? Read(NpgsqlDataReader reader, int first) => reader.IsDBNull(first) ? null : new(
        reader.GetString(first), reader.GetString(first + 1), reader.GetInt32(first + 2),
        NullableInstant(reader, first + 3), NullableString(reader, first + 4), NullableString(reader, first + 5),
        NullableString(reader, first + 6), NullableInstant(reader, first + 7), NullableInstant(reader, first + 8));

    static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    static Instant? NullableInstant(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<Instant>(ordinal);
}
