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

    /// <summary>The replica's answer, or the primary's when the replica has none (yet) or cannot answer.</summary>
    public Task<T?> FindAsync<T>(Func<NpgsqlDataSource, Task<T?>> find) where T : class =>
        HasReplica ? FindOnReplicaFirstAsync(find) : find(primary);

    /// <summary>The replica's answer, or the primary's when the replica cannot answer.</summary>
    public Task<T> ReadAsync<T>(Func<NpgsqlDataSource, Task<T>> read) where T : class =>
        HasReplica ? ReadOnReplicaFirstAsync(read) : read(primary);

    async Task<T?> FindOnReplicaFirstAsync<T>(Func<NpgsqlDataSource, Task<T?>> find) where T : class =>
        await TryReplicaAsync(find) ?? await find(primary);

    async Task<T> ReadOnReplicaFirstAsync<T>(Func<NpgsqlDataSource, Task<T>> read) where T : class =>
        await TryReplicaAsync<T>(async d => await read(d)) ?? await read(primary);

    async Task<T?> TryReplicaAsync<T>(Func<NpgsqlDataSource, Task<T?>> read) where T : class
    {
        try
        {
            return await read(replica);
        }
        // 40001 on a standby: the query was cancelled by a conflict with the replay of the primary's changes.
        catch (Exception e) when (ApiErrors.IsDatabaseUnavailable(e) || e is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure })
        {
            logger.LogWarning("The read replica could not answer, read from the primary: {Reason}", e.GetBaseException().Message);
            return null;
        }
    }
}
