using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Npgsql;

namespace Purchases.Infrastructure.Auth;

public sealed record TokenOwner(string Role, string Name);

/// <summary>
/// The authentication look-up: one indexed query, then the valid token is remembered for a few seconds so a busy
/// client does not cost a database round trip per request. A revocation through the CLI reaches every instance at
/// once (NOTIFY, see DatabaseNotifications); unknown tokens are never cached.
/// </summary>
public sealed class TokenStore(NpgsqlDataSource dataSource)
{
    static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    const int MaxCached = 10_000;
    readonly ConcurrentDictionary<string, (TokenOwner Owner, long Until)> _cache = new();

    public async Task<TokenOwner?> FindActiveAsync(string token, CancellationToken ct)
    {
        var hash = Tokens.Hash(token);
        var key = Convert.ToBase64String(hash);
        if (_cache.TryGetValue(key, out var cached) && Stopwatch.GetTimestamp() < cached.Until)
            return cached.Owner;

        await using var command = dataSource.CreateCommand(
            "SELECT role, name, token_hash FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter { Value = hash });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct) || !CryptographicOperations.FixedTimeEquals((byte[])reader[2], hash))
        {
            _cache.TryRemove(key, out _);
            return null;
        }

        var owner = new TokenOwner(reader.GetString(0), reader.GetString(1));
        if (_cache.Count >= MaxCached) _cache.Clear();
        _cache[key] = (owner, Stopwatch.GetTimestamp() + (long)(CacheFor.TotalSeconds * Stopwatch.Frequency));
        return owner;
    }

    /// <summary>Forget every cached token (after a revocation anywhere).</summary>
    public void Forget() => _cache.Clear();
}
