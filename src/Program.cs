using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Argo;
using Purchases.Infrastructure.Auth;
using Purchases.Infrastructure.Cli;
using Purchases.Infrastructure.Health;
using Purchases.Infrastructure.Jobs;
using Purchases.Infrastructure.LocalPostgres;
using Purchases.Infrastructure.Outbox;
using Purchases.Infrastructure.Persistence;

var builder = WebApplication.CreateBuilder(args);
builder.ConfigureForCli(args);
builder.AddPersistence();
builder.AddBearerTokens();
builder.AddApi();
builder.AddArgo();
builder.AddOutbox();
builder.AddBackgroundJobs();
builder.AddHealth();

var app = builder.Build();
if (CliCommands.IsCommand(args))
    return await CliCommands.RunAsync(app.Services, args, Console.Out, Console.Error);

await app.PrepareEmbeddedDatabaseAsync();
app.UseApi();
await app.RunAsync();
return 0;

public partial class Program;
