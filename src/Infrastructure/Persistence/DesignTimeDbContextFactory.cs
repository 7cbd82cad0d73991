using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Purchases.Infrastructure.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<PurchasesDbContext>
{
    public PurchasesDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PurchasesDbContext>()
            .UseNpgsql("Host=localhost", o => o.UseNodaTime())
            .UseSnakeCaseNamingConvention()
            .Options);
}
