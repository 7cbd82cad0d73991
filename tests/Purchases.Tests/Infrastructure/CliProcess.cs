using System.Diagnostics;

namespace Purchases.Tests.Infrastructure;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs the real executable (the service's own dll) as a separate process, as an operator would.</summary>
public static class CliProcess
{
    public static Task<CliResult> RunAsync(string connectionString, params string[] args) =>
        RunAsync(new Dictionary<string, string?> { ["ConnectionStrings__Purchases"] = connectionString }, args);

    /// <summary>With exactly these variables over the Testing environment (a null value removes one).</summary>
    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment.Remove("ConnectionStrings__Purchases");
        foreach (var (name, value) in environment)
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
