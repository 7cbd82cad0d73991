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

    bool HasReplica => !ReferenceEquals(primary, replica);

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
