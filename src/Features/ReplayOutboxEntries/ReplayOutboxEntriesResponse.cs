using System.Text.Json.Serialization;

namespace Purchases.Features.ReplayOutboxEntries;

/// <summary><c>replayed</c>: entries sent back to pending; with a dry run 0, and <c>would_replay</c> counts them.</summary>
public sealed record ReplayOutboxEntriesResponse(
    long Replayed,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? WouldReplay = null);
