using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Purchases.Infrastructure.Persistence.Configurations;

internal sealed class PurchaseConfiguration : IEntityTypeConfiguration<Purchase>
{
    public void Configure(EntityTypeBuilder<Purchase> b)
    {
        b.ToTable("purchases", t => t.HasCheckConstraint("ck_purchases_status",
            $"status IN ({string.Join(", ", PurchaseStatus.All.Select(s => $"'{s}'"))})"));
        b.HasKey(p => p.Id);
        b.Property(p => p.UserName).HasColumnName("user");
        b.Property(p => p.StrategyOutput).HasColumnType("jsonb");
        // A customer's purchases newest first, for the list (its keyset) and every filter within one user.
        b.HasIndex(p => new { p.UserName, p.CreatedAt, p.Id }).HasDatabaseName("ix_purchases_user_created")
            .IsDescending(false, true, true);
        // The same within one status (a retailer's failed purchases among 100,000 completed ones).
        b.HasIndex(p => new { p.UserName, p.Status, p.CreatedAt, p.Id }).HasDatabaseName("ix_purchases_user_status_created")
            .IsDescending(false, false, true, true);
        // The reconciler's work list: purchases that are not final and whose workflow Argo accepted (the drain sets the
        // first read then), the longest due first. Those still in the outbox stay out of it: behind an Argo outage they
        // can be a hundred thousand, and every claim read them all.
        b.HasIndex(p => p.WorkflowNextCheckAt).HasDatabaseName("ix_purchases_reconcile")
            .HasFilter("status IN ('pending', 'in_progress') AND workflow_next_check_at IS NOT NULL");
    }
}
