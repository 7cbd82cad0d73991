using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

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
        b.HasIndex(p => p.UserName);
    }
}
