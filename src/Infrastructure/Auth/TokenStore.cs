using System.Security.Cryptography;
using Npgsql;

namespace Purchases.Infrastructure.Auth;

public sealed record TokenOwner(string Role, string Name);

/// <summary>The authentication look-up: one indexed query per request, no cache, so a revocation counts at once.</summary>
public sealed class TokenStore(NpgsqlDataSource dataSource)
{
    public async Task<TokenOwner?> FindActiveAsync(string token, CancellationToken ct)
    {
        var hash = Tokens.Hash(token);
        await using var command = dataSource.CreateCommand(
            "SELECT role, name, token_hash FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter { Value = hash });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        var stored = (byte[])reader[2];
        return CryptographicOperations.FixedTimeEquals(stored, hash)
            ? new TokenOwner(reader.GetString(0), reader.GetString(1))
            : null;
    }
}
