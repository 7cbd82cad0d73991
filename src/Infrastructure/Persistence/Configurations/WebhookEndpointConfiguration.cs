using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Purchases.Infrastructure.Persistence.Configurations;

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> b)
    {
        b.ToTable("webhook_endpoints");
        b.HasKey(w => w.Id);
        b.Property(w => w.UserName).HasColumnName("user");
        b.Property(w => w.Url).HasMaxLength(2048);
        // The status change's delivery insert looks up a customer's live endpoints.
        b.HasIndex(w => w.UserName).HasDatabaseName("ix_webhook_endpoints_user_live").HasFilter("deleted_at IS NULL");
    }
}
