using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Purchases.Tests.Infrastructure;

/// <summary>
/// The real service as a separate process (<c>dotnet Purchases.dll</c>, the dll next to the tests), on real Kestrel at
/// <c>http://127.0.0.1:&lt;free port&gt;</c>, in the Testing environment: what the fault tests kill (SIGKILL), stop
/// (SIGTERM) and start again on the same database. Its stdout and stderr are kept in <see cref="Output"/>.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    const int MaxOutputChars = 2_000_000;
    const int SigTerm = 15;

    readonly Process process;
    readonly StringBuilder output = new();
    readonly Lock outputGate = new();
    long droppedChars;

    ServiceProcess(Process process, int port)
    {
        this.process = process;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    /// <summary>The loopback port Kestrel listens on.</summary>
    public int Port { get; }

    /// <summary>e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public Uri BaseAddress { get; }

    public int ProcessId => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>The exit code, once <see cref="WaitForExitAsync"/> has returned true.</summary>
    public int ExitCode => process.ExitCode;

    /// <summary>What the process wrote so far, stdout and stderr interleaved (stderr lines start with "[stderr] ").</summary>
    public string Output
    {
        get
        {
            lock (outputGate)
                return droppedChars == 0 ? output.ToString() : $"[… {droppedChars} earlier characters dropped …]\n{output}";
        }
    }

    /// <summary>The last <paramref name="maxChars"/> characters of <see cref="Output"/>, for assertion messages.</summary>
    public string OutputTail(int maxChars = 6000)
    {
        var all = Output;
        return all.Length <= maxChars ? all : "…" + all[^maxChars..];
    }

    /// <summary>
    /// Starts the service on <paramref name="connectionString"/> and waits until <c>/healthz</c> answers 200.
    /// <paramref name="settings"/> are configuration keys (<c>Argo:BaseUrl</c> or <c>Argo__BaseUrl</c>) and values,
    /// passed as environment variables. A port taken between choosing and binding it is retried on another one.
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(string connectionString,
        IReadOnlyDictionary<string, string>? settings = null, TimeSpan? startTimeout = null, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var service = Launch(connectionString, FreePort(), settings ?? new Dictionary<string, string>());
            try
            {
                await service.WaitUntilHealthyAsync(startTimeout ?? TimeSpan.FromSeconds(45), ct);
                return service;
            }
            catch (ServiceExitedException) when (attempt < 3 &&
                                                 service.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await service.DisposeAsync();
            }
            catch
            {
                await service.DisposeAsync();
                throw;
            }
        }
    }

    static ServiceProcess Launch(string connectionString, int port, IReadOnlyDictionary<string, string> settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            // The service's appsettings.json is copied next to the tests: it is the content root.
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var inherited in new[] { "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS", "DOTNET_HTTP_PORTS" })
            start.Environment.Remove(inherited);
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ConnectionStrings__Purchases"] = connectionString;
        // One line per log message, so that a killed process leaves whole lines behind.
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        start.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        foreach (var (key, value) in settings)
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var service = new ServiceProcess(process, port);
        process.OutputDataReceived += (_, e) => service.Append(e.Data, stderr: false);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data, stderr: true);
        if (!process.Start()) throw new InvalidOperationException("Could not start the service process.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    void Append(string? line, bool stderr)
    {
        if (line is null) return;
        lock (outputGate)
        {
            if (stderr) output.Append("[stderr] ");
            output.Append(line).Append('\n');
            if (output.Length > MaxOutputChars)
            {
                var drop = output.Length - MaxOutputChars / 2;
                output.Remove(0, drop);
                droppedChars += drop;
            }
        }
    }

    async Task WaitUntilHealthyAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        var lastProblem = "no answer yet";
        for (var attempt = 0; attempt < 1000 && deadline.Elapsed < timeout; attempt++)
        {
            if (process.HasExited)
            {
                process.WaitForExit(); // drains the output readers
                throw new ServiceExitedException(
                    $"The service exited with code {process.ExitCode} before /healthz answered. Output:\n{OutputTail()}");
            }
            try
            {
                using var response = await http.GetAsync("/healthz", ct);
                if (response.StatusCode == HttpStatusCode.OK) return;
                lastProblem = $"/healthz answered {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                lastProblem = e.Message;
            }
            await Task.Delay(100, ct);
        }
        throw new TimeoutException($"/healthz did not answer 200 within {timeout} ({lastProblem}). Output:\n{OutputTail()}");
    }

    /// <summary>An HTTP client for the service; <paramref name="token"/> adds <c>Authorization: Bearer …</c>.</summary>
    public HttpClient CreateClient(string? token = null, TimeSpan? timeout = null)
    {
        // A client from outside, as a retailer's is: it sends no traceparent of the test process's own spans.
        var client = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator(),
        })
        {
            BaseAddress = BaseAddress,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };
        if (token is not null) client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        return client;
    }

    /// <summary>SIGKILL, as the kernel's OOM killer or <c>kill -9</c> would: no shutdown code runs.</summary>
    public void KillHard()
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
    }

    /// <summary>SIGTERM, as Kubernetes sends on a pod's deletion: the host's graceful shutdown.</summary>
    public void StopGracefully()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            throw new PlatformNotSupportedException("SIGTERM is sent through libc's kill(2).");
        if (process.HasExited) return;
        if (SendSignal(process.Id, SigTerm) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (!process.HasExited) throw new Win32Exception(errno, $"kill({process.Id}, SIGTERM) failed");
        }
    }

    /// <summary>True when the process exited within <paramref name="timeout"/> (then <see cref="ExitCode"/> is set).</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        KillHard();
        await WaitForExitAsync(TimeSpan.FromSeconds(10));
        process.Dispose();
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int SendSignal(int pid, int signal);

    sealed class ServiceExitedException(string message) : Exception(message);
}
