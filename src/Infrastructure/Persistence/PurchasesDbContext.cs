using Microsoft.EntityFrameworkCore;

namespace Purchases.Infrastructure.Persistence;

public sealed class PurchasesDbContext(DbContextOptions<PurchasesDbContext> options) : DbContext(options)
{
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<Purchase> Purchases => Set<Purchase>();
    public DbSet<PurchaseRow> PurchaseRows => Set<PurchaseRow>();
    public DbSet<OutboxEntry> OutboxEntries => Set<OutboxEntry>();
    public DbSet<IdempotencyKey> IdempotencyKeys => Set<IdempotencyKey>();
    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PurchasesDbContext).Assembly);
}
