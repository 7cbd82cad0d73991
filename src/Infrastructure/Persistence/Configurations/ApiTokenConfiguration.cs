using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Purchases.Infrastructure.Persistence.Configurations;

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> b)
    {
        b.ToTable("api_tokens", t => t.HasCheckConstraint("ck_api_tokens_role",
            $"role IN ('{TokenRole.Customer}', '{TokenRole.Worker}', '{TokenRole.Operator}')"));
        b.HasKey(t => t.Id);
        b.HasIndex(t => t.TokenHash).IsUnique();
        b.HasOne<Customer>().WithMany().HasForeignKey(t => t.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}
