using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Auth;
using Purchases.Infrastructure.Cli;
using Purchases.Infrastructure.LocalPostgres;
using Purchases.Infrastructure.Persistence;

var builder = WebApplication.CreateBuilder(args);
builder.ConfigureForCli(args);
builder.AddPersistence();
builder.AddBearerTokens();
builder.AddApi();

var app = builder.Build();
if (CliCommands.IsCommand(args))
    return await CliCommands.RunAsync(app.Services, args, Console.Out, Console.Error);

await app.PrepareEmbeddedDatabaseAsync();
app.UseApi();
await app.RunAsync();
return 0;

public partial class Program;
