namespace Purchases.Infrastructure.Hosting;

/// <summary>
/// A fatal start-up error (a missing connection string, an unreachable database, a bad setting, a port in use) is one
/// log line on stderr and exit code 1, never an unhandled-exception dump.
/// </summary>
public static class StartupFailure
{
    public const int ExitCode = 1;

    /// <summary>
    /// The host logs "Hosting failed to start" with the whole exception (an Error); <see cref="GuardAsync"/> logs it
    /// as one line instead. A background service that stops the host is still logged (a Critical).
    /// </summary>
    public static WebApplicationBuilder LogStartupFailuresOnce(this WebApplicationBuilder builder)
    {
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        return builder;
    }

    public static async Task<int> GuardAsync(Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        // HostAbortedException is how WebApplicationFactory stops the entry point once it has the host: not a failure.
        catch (Exception e) when (e is not OperationCanceledException and not HostAbortedException)
        {
            using (var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true)
                       .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)))
                loggers.CreateLogger("Purchases.Startup").LogCritical("Start-up failed: {Reason}", Describe(e));
            return ExitCode;
        }
    }

    /// <summary>The messages of an exception and its inner ones, on one line, without stack traces.</summary>
    public static string Describe(Exception e)
    {
        var messages = new List<string>();
        for (var current = e; current is not null; current = current.InnerException)
        {
            var message = current.Message.ReplaceLineEndings(" ").Trim();
            if (message.Length > 0 && !messages.Any(m => m.Contains(message, StringComparison.Ordinal)))
                messages.Add(message);
        }
        return string.Join(" ← ", messages);
    }
}
