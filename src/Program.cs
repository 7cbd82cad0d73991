using Purchases.Cli;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Argo;
using Purchases.Infrastructure.Auth;
using Purchases.Infrastructure.Health;
using Purchases.Infrastructure.Hosting;
using Purchases.Infrastructure.Jobs;
using Purchases.Infrastructure.LocalPostgres;
using Purchases.Infrastructure.Observability;
using Purchases.Infrastructure.Outbox;
using Purchases.Infrastructure.Persistence;
using Purchases.Infrastructure.Reconcile;
using Purchases.Infrastructure.Webhooks;

var cli = CliCommands.For(args);
if (cli.AnswersWithoutServices)
    return await cli.RunAsync(services: null);

return await StartupFailure.GuardAsync(async () =>
{
    var builder = WebApplication.CreateBuilder(cli.RunsWebService ? args : []);
    builder.LogStartupFailuresOnce();
    cli.ConfigureLogging(builder);
    builder.AddPersistence();
    builder.AddBearerTokens();
    builder.AddApi();
    builder.AddArgo();
    builder.AddOutbox();
    builder.AddWebhooks();
    builder.AddReconciler();
    builder.AddBackgroundJobs();
    builder.AddHealth();
    builder.AddObservability();

    var app = builder.Build();
    if (!cli.RunsWebService)
        return await cli.RunAsync(app.Services);

    await app.PrepareEmbeddedDatabaseAsync();
    app.UseApi();
    app.MapMetricsEndpoint();
    await app.RunAsync();
    return 0;
});

public partial class Program;
