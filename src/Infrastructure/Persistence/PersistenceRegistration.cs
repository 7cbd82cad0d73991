using Microsoft.EntityFrameworkCore;
using Npgsql;
using Purchases.Infrastructure.LocalPostgres;
using Purchases.Infrastructure.Persistence.Partitions;

namespace Purchases.Infrastructure.Persistence;

public static class PersistenceRegistration
{
    public const string ConnectionStringName = "Purchases";

    /// <summary>
    /// PostgreSQL through one <see cref="NpgsqlDataSource"/> (NodaTime types) shared by EF Core and the raw COPY path.
    /// With no connection string in Development, the embedded local cluster is started and used.
    /// </summary>
    public static WebApplicationBuilder AddPersistence(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (!builder.Environment.IsDevelopment())
                throw new InvalidOperationException(
                    $"ConnectionStrings:{ConnectionStringName} is not set. Only the Development environment starts its own PostgreSQL.");
            var embedded = EmbeddedDatabase.Start(builder.Environment.ContentRootPath);
            builder.Services.AddSingleton(embedded);
            builder.Services.AddHostedService<EmbeddedDatabaseLifetime>();
            connectionString = embedded.ConnectionString;
        }

        var dataSource = PurchasesDataSource.Pooled(connectionString);
        builder.Services.AddSingleton(dataSource);
        builder.Services.AddKeyedSingleton(PurchasesDataSource.ListenerKey, PurchasesDataSource.Unpooled(connectionString));
        var readConnectionString = builder.Configuration.GetConnectionString(ReadReplica.ConnectionStringName);
        var replica = string.IsNullOrWhiteSpace(readConnectionString)
            ? dataSource
            : PurchasesDataSource.Pooled(readConnectionString, "purchases-read");
        builder.Services.AddSingleton(s => new ReadReplica(dataSource, replica, s.GetRequiredService<ILogger<ReadReplica>>()));
        builder.Services.AddDbContextPool<PurchasesDbContext>(o => o
            // No EnableRetryOnFailure: during an outage a quick 503 with Retry-After serves clients better than
            // requests held open by retries (the fault suite saw GETs outlive a 20 s client timeout with it).
            .UseNpgsql(dataSource, npgsql => npgsql.UseNodaTime())
            .UseSnakeCaseNamingConvention()
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking));
        builder.Services.AddOptions<RowPartitionOptions>().BindConfiguration(RowPartitionOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<RowPartitions>();
        return builder;
    }

    /// <summary>The migrations, then the rows' partitions for this month and the months ahead.</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using (var scope = services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<PurchasesDbContext>().Database.MigrateAsync(ct);
        await services.GetRequiredService<RowPartitions>().MaintainAsync(ct);
    }
}
