using Purchases.Infrastructure.Persistence;

namespace Purchases.Infrastructure.LocalPostgres;

public static class EmbeddedDatabaseStartup
{
    /// <summary>With the embedded cluster, migrate on start and tell the newcomer where to go next.</summary>
    public static async Task PrepareEmbeddedDatabaseAsync(this WebApplication app)
    {
        if (app.Services.GetService<EmbeddedDatabase>() is not { } embedded) return;
        await app.Services.MigrateDatabaseAsync();
        app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation(
            "Embedded PostgreSQL in {Directory}. Swagger UI: {Urls}/swagger. Get a token with: " +
            "./purchases customers add <user>",
            embedded.Directory, string.Join(", ", app.Urls)));
    }
}
