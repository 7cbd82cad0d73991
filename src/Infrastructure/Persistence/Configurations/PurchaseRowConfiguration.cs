using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Purchases.Infrastructure.Persistence.Configurations;

internal sealed class PurchaseRowConfiguration : IEntityTypeConfiguration<PurchaseRow>
{
    public void Configure(EntityTypeBuilder<PurchaseRow> b)
    {
        b.ToTable("purchase_rows");
        b.HasKey(r => new { r.PurchaseId, r.Position });
        b.Property(r => r.LocalTime).HasColumnType("timestamp without time zone");
        b.Property(r => r.Instant).HasColumnType("timestamp with time zone");
        // Unconstrained numeric: the MW value is kept exactly as it was sent.
        b.Property(r => r.Mw).HasColumnType("numeric");
        // No foreign key to purchases: rows are only written by SubmitPurchaseStorage, by COPY in the purchase's own
        // transaction right after the purchase, and PostgreSQL would check the key once per row (35,040 look-ups for a
        // year, a quarter of its database time; bench/RESULTS.md). Purchases are never deleted.
    }
}
