using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Claims;
using System.Security.Cryptography;
using Npgsql;

namespace Purchases.Infrastructure.Auth;

/// <summary>
/// The authentication look-up: one indexed query, then the valid token is remembered for a few seconds so a busy
/// client does not cost a database round trip per request. A revocation through the CLI reaches every instance at
/// once (NOTIFY, see DatabaseNotifications); unknown tokens are never cached. Only the token's hash is kept, with the
/// principal built once for it: a cached request allocates nothing here.
/// </summary>
public sealed class TokenStore(NpgsqlDataSource dataSource)
{
    static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    const int MaxCached = 10_000;
    readonly ConcurrentDictionary<UInt128, Cached> _cache = new();

    sealed record Cached(byte[] Hash, ClaimsPrincipal Principal, long Until);

    /// <summary>The principal of a token validated in the last few seconds, or null (then ask <see cref="FindActiveAsync"/>).</summary>
    public ClaimsPrincipal? FindCached(ReadOnlySpan<char> token)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Tokens.Hash(token, hash);
        return _cache.TryGetValue(KeyOf(hash), out var cached) && Stopwatch.GetTimestamp() < cached.Until &&
               CryptographicOperations.FixedTimeEquals(cached.Hash, hash)
            ? cached.Principal
            : null;
    }

    public async Task<ClaimsPrincipal?> FindActiveAsync(string token, CancellationToken ct)
    {
        var hash = Tokens.Hash(token);
        await using var command = dataSource.CreateCommand(
            "SELECT role, name, token_hash FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter { Value = hash });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct) || !CryptographicOperations.FixedTimeEquals((byte[])reader[2], hash))
        {
            _cache.TryRemove(KeyOf(hash), out _);
            return null;
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, reader.GetString(1)), new Claim(ClaimTypes.Role, reader.GetString(0))],
            BearerTokenHandler.SchemeName));
        if (_cache.Count >= MaxCached) _cache.Clear();
        _cache[KeyOf(hash)] = new Cached(hash, principal, Stopwatch.GetTimestamp() + (long)(CacheFor.TotalSeconds * Stopwatch.Frequency));
        return principal;
    }

    /// <summary>Forget every cached token (after a revocation anywhere).</summary>
    public void Forget() => _cache.Clear();

    static UInt128 KeyOf(ReadOnlySpan<byte> hash) => BinaryPrimitives.ReadUInt128LittleEndian(hash);
}
