using System.CommandLine;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Auth;

namespace Purchases.Infrastructure.Cli;

/// <summary>What every command needs: services in a scope, stdout for results, one line on stderr for failures.</summary>
public sealed class CliContext(IServiceProvider services, TextWriter stdout, TextWriter stderr)
{
    /// <summary>The API's JSON settings, so <c>--json</c> prints exactly what the admin API answers.</summary>
    public JsonSerializerOptions Json => services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

    public Func<ParseResult, CancellationToken, Task<int>> Action(
        Func<ParseResult, IServiceProvider, CancellationToken, Task<string>> body) => async (parsed, ct) =>
    {
        try
        {
            await using var scope = services.CreateAsyncScope();
            var output = await body(parsed, scope.ServiceProvider, ct);
            if (output.Length > 0) await stdout.WriteLineAsync(output);
            return 0;
        }
        catch (Exception e) when (e is CliFailure or TokenAdministrationException)
        {
            await stderr.WriteLineAsync(e.Message);
            return 1;
        }
        catch (Exception e) when (ApiErrors.IsDatabaseUnavailable(e))
        {
            await stderr.WriteLineAsync($"The database is unreachable: {e.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
    };
}
