using System.CommandLine;
using NodaTime;
using NodaTime.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Purchases.Infrastructure.Api;
using Purchases.Infrastructure.Auth;
using Purchases.Infrastructure.Hosting;

namespace Purchases.Cli;

/// <summary>What every command needs: services in a scope, stdout for results, one line on stderr for failures.</summary>
public sealed class CliContext(TextWriter stdout, TextWriter stderr)
{
    /// <summary>Set once the host is built: parsing, help and refusals need none.</summary>
    public IServiceProvider Services { get; set; } = null!;


    /// <summary>The API's JSON settings, so <c>--json</c> prints exactly what the admin API answers.</summary>
    public JsonSerializerOptions Json => Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

    public Func<ParseResult, CancellationToken, Task<int>> Action(
        Func<ParseResult, IServiceProvider, CancellationToken, Task<string>> body) => async (parsed, ct) =>
    {
        try
        {
            await using var scope = Services.CreateAsyncScope();
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
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await stderr.WriteLineAsync($"Failed: {StartupFailure.Describe(e)}");
            return 1;
        }
    };

    /// <summary>A request the slice's validator refuses: its first message is the command's one line.</summary>
    public static void Validate(FluentValidation.Results.ValidationResult result)
    {
        if (!result.IsValid) throw new CliFailure(result.Errors[0].ErrorMessage);
    }

    public static string Format(Instant? instant) => instant is { } i ? InstantPattern.General.Format(i) : "-";

    public static string Cut(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
