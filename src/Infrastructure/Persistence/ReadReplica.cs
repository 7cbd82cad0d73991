using Npgsql;
using Purchases.Infrastructure.Api;

namespace Purchases.Infrastructure.Persistence;

/// <summary>
/// Where the retailers' reads go (get-purchase, its rows, the purchase list): <c>ConnectionStrings:PurchasesRead</c>,
/// a streaming replica, when it is set, else the primary. A replica replays the primary's commits a moment later, so a
/// read that finds nothing there asks the primary once: a purchase answered 201 is always found. A replica that cannot
/// answer (down, restarting) sends the read to the primary too.
/// </summary>
public sealed class ReadReplica(NpgsqlDataSource primary, NpgsqlDataSource replica, ILogger<ReadReplica> logger)
{
    public const string ConnectionStringName = "PurchasesRead";

    public bool HasReplica => !ReferenceEquals(primary, replica);

    /// <summary>
    /// What the replica's pool reaches now: a standby and how far its replay is behind (0 when it has replayed all it
    /// received), a primary (the one listed after the replica while it is down: reads are current), or nothing.
    /// </summary>
    public async Task<ReadReplicaStatus> StatusAsync(CancellationToken ct)
    {
        try
        {
            await using var command = replica.CreateCommand("""
                SELECT pg_is_in_recovery(),
                       CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                            ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END::float8
                """);
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return reader.GetBoolean(0)
                ? new ReadReplicaStatus("standby", reader.IsDBNull(1) ? null : Math.Round(Math.Max(0, reader.GetDouble(1)), 3))
                : new ReadReplicaStatus("primary", null);
        }
        catch (Exception e) when (ApiErrors.IsDatabaseUnavailable(e))
        {
            return new ReadReplicaStatus("unreachable", null);
        }
    }

    // The reads take their arguments as a state, so that a static lambda allocates nothing per request (get is the
    // hottest path, and without a replica this is one more call).

    /// <summary>The replica's answer, or the primary's when the replica has none (yet) or cannot answer.</summary>
    public Task<T?> FindAsync<TState, T>(TState state, Func<NpgsqlDataSource, TState, Task<T?>> find) where T : class =>
        HasReplica ? FindOnReplicaFirstAsync(state, find) : find(primary, state);

    /// <summary>The replica's answer, or the primary's when the replica cannot answer.</summary>
    public Task<T> ReadAsync<TState, T>(TState state, Func<NpgsqlDataSource, TState, Task<T>> read) where T : class =>
        HasReplica ? ReadOnReplicaFirstAsync(state, read) : read(primary, state);

    async Task<T?> FindOnReplicaFirstAsync<TState, T>(TState state, Func<NpgsqlDataSource, TState, Task<T?>> find) where T : class =>
        await TryReplicaAsync(() => find(replica, state)) ?? await find(primary, state);

    async Task<T> ReadOnReplicaFirstAsync<TState, T>(TState state, Func<NpgsqlDataSource, TState, Task<T>> read) where T : class =>
        await TryReplicaAsync<T>(async () => await read(replica, state)) ?? await read(primary, state);

    async Task<T?> TryReplicaAsync<T>(Func<Task<T?>> read) where T : class
    {
        try
        {
            return await read();
        }
        // 40001 on a standby: the query was cancelled by a conflict with the replay of the primary's changes.
        catch (Exception e) when (ApiErrors.IsDatabaseUnavailable(e) || e is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure })
        {
            logger.LogWarning("The read replica could not answer, read from the primary: {Reason}", e.GetBaseException().Message);
            return null;
        }
    }
}

/// <param name="State"><c>standby</c>, <c>primary</c> or <c>unreachable</c>.</param>
/// <param name="LagSeconds">How far the standby's replay is behind what it received; null when not a standby.</param>
public sealed record ReadReplicaStatus(string State, double? LagSeconds);
