using Microsoft.EntityFrameworkCore;
using NodaTime;
using Purchases.Infrastructure.Persistence;

namespace Purchases.Infrastructure.Auth;

public sealed class TokenAdministrationException(string message) : Exception(message);

/// <summary>The token lifecycle behind the CLI: customers, their tokens, worker and operator tokens, revocation.</summary>
public sealed class TokenAdministration(PurchasesDbContext db, IClock clock)
{
    public async Task<string> AddCustomerAsync(string user, CancellationToken ct)
    {
        EnsureValidName(user, "user");
        if (await db.Customers.AnyAsync(c => c.UserName == user, ct))
            throw new TokenAdministrationException($"Customer '{user}' already exists.");
        var customer = new Customer { Id = Guid.CreateVersion7(), UserName = user, CreatedAt = clock.GetCurrentInstant() };
        db.Customers.Add(customer);
        var token = NewToken(TokenRole.Customer, user, customer.Id);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: "23505" })
        {
            throw new TokenAdministrationException($"Customer '{user}' already exists.");
        }
        return token;
    }

    public async Task<string> IssueCustomerTokenAsync(string user, CancellationToken ct)
    {
        var customer = await db.Customers.SingleOrDefaultAsync(c => c.UserName == user, ct)
                       ?? throw new TokenAdministrationException($"Customer '{user}' does not exist.");
        var token = NewToken(TokenRole.Customer, user, customer.Id);
        await db.SaveChangesAsync(ct);
        return token;
    }

    public async Task<string> IssueServiceTokenAsync(string role, string name, CancellationToken ct)
    {
        if (role is not (TokenRole.Worker or TokenRole.Operator))
            throw new TokenAdministrationException($"Role must be {TokenRole.Worker} or {TokenRole.Operator}, not '{role}'.");
        EnsureValidName(name, "name");
        var token = NewToken(role, name, customerId: null);
        await db.SaveChangesAsync(ct);
        return token;
    }

    public async Task RevokeAsync(string token, CancellationToken ct)
    {
        var hash = Tokens.Hash(token);
        var revoked = await db.ApiTokens
            .Where(t => t.TokenHash == hash && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, clock.GetCurrentInstant()), ct);
        if (revoked == 0)
            throw new TokenAdministrationException("No active token matches.");
        await db.Database.ExecuteSqlRawAsync($"NOTIFY {DatabaseNotifications.TokensChannel}", ct);
    }

    string NewToken(string role, string name, Guid? customerId)
    {
        var token = Tokens.NewToken();
        db.ApiTokens.Add(new ApiToken
        {
            Id = Guid.CreateVersion7(),
            Role = role,
            Name = name,
            CustomerId = customerId,
            TokenHash = Tokens.Hash(token),
            CreatedAt = clock.GetCurrentInstant(),
        });
        return token;
    }

    static void EnsureValidName(string name, string what)
    {
        if (name.Length is 0 or > 200 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '/' or '?' or '#'))
            throw new TokenAdministrationException(
                $"The {what} must be 1 to 200 characters without spaces, '/', '?' or '#'.");
    }
}
