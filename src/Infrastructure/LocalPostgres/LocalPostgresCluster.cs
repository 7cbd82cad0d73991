using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Purchases.Infrastructure.LocalPostgres;

/// <summary>
/// A PostgreSQL cluster of our own on loopback: the embedded default of the Development environment and the
/// throwaway database of the tests. PostgreSQL refuses to run as root, so as root every server command runs as the
/// <c>postgres</c> OS user and the cluster lives under the system temp directory, which that user can reach.
/// </summary>
public sealed class LocalPostgresCluster : IDisposable
{
    const string SuperUser = "postgres";
    readonly string _binDir;
    readonly bool _ownsServer;
    readonly bool _deleteOnDispose;
    readonly string? _serverOptions;

    LocalPostgresCluster(string directory, string binDir, int port, bool ownsServer, bool deleteOnDispose,
        string? serverOptions = null)
    {
        Directory = directory;
        _binDir = binDir;
        Port = port;
        _ownsServer = ownsServer;
        _deleteOnDispose = deleteOnDispose;
        _serverOptions = serverOptions;
    }

    public string Directory { get; }
    public int Port { get; }
    string DataDir => Path.Combine(Directory, "data");

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={SuperUser};Database={database};Include Error Detail=true";

    static bool RunningAsRoot => Environment.UserName == "root";

    /// <summary>The directory the embedded cluster of a checkout uses: <c>.data/</c>, or a temp dir as root.</summary>
    public static string DefaultDirectoryFor(string contentRoot) => RunningAsRoot
        ? Path.Combine(Path.GetTempPath(), $"purchases-{StableHash(contentRoot)}", "postgres")
        : Path.Combine(contentRoot, ".data", "postgres");

    /// <summary>Starts (creating it when new) a durable cluster, or attaches to it when it already runs.</summary>
    public static LocalPostgresCluster StartPersistent(string directory, string? binDir = null) =>
        Start(directory, binDir ?? FindBinDir(), durable: true, deleteOnDispose: false);

    /// <summary>A fresh cluster in a new temp directory, tuned for speed over durability, deleted on dispose.</summary>
    public static LocalPostgresCluster StartThrowaway(string? binDir = null) =>
        Start(Path.Combine(Path.GetTempPath(), $"purchases-test-{Guid.NewGuid():N}"), binDir ?? FindBinDir(),
            durable: false, deleteOnDispose: true);

    /// <summary>
    /// A throwaway hot standby of <paramref name="primary"/> on a port of its own (a base backup, then streaming
    /// replication): a read replica for the tests.
    /// </summary>
    public static LocalPostgresCluster StartThrowawayStandbyOf(LocalPostgresCluster primary)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"purchases-standby-{Guid.NewGuid():N}");
        CreateDirectory(directory);
        var dataDir = Path.Combine(directory, "data");
        Run(ToolsBesideServer(primary._binDir, "pg_basebackup"), "pg_basebackup", "-h", "127.0.0.1",
            "-p", primary.Port.ToString(), "-U", SuperUser, "-D", dataDir,
            "--write-recovery-conf", "--wal-method=stream", "--checkpoint=fast", "--no-sync");
        var port = FreePort();
        var settings = $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={dataDir} -c fsync=off";
        StartServer(primary._binDir, directory, settings);
        return new LocalPostgresCluster(directory, primary._binDir, port, ownsServer: true, deleteOnDispose: true, settings);
    }

    /// <summary>The directory of <paramref name="tool"/>: the server's, or that of the binaries pg_ctl links to.</summary>
    static string ToolsBesideServer(string binDir, string tool) =>
        File.Exists(Path.Combine(binDir, tool))
            ? binDir
            : Path.GetDirectoryName(new FileInfo(Path.Combine(binDir, "pg_ctl")).ResolveLinkTarget(returnFinalTarget: true)?.FullName)
              ?? binDir;

    static LocalPostgresCluster Start(string directory, string binDir, bool durable, bool deleteOnDispose)
    {
        CreateDirectory(directory);
        var dataDir = Path.Combine(directory, "data");
        if (RunningPort(dataDir) is { } runningPort)
            return new LocalPostgresCluster(directory, binDir, runningPort, ownsServer: false, deleteOnDispose: false);

        if (!File.Exists(Path.Combine(dataDir, "PG_VERSION")))
            Run(binDir, "initdb", "-D", dataDir, "-U", SuperUser, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync");

        var port = FreePort();
        var settings = $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={dataDir}" +
                       (durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        StartServer(binDir, directory, settings);
        return new LocalPostgresCluster(directory, binDir, port, ownsServer: true, deleteOnDispose, settings);
    }

    static void StartServer(string binDir, string directory, string settings) =>
        Run(binDir, "pg_ctl", "-D", Path.Combine(directory, "data"), "-l", Path.Combine(directory, "postgres.log"),
            "-w", "-t", "60", "-o", settings, "start");

    public void EnsureDatabase(string database)
    {
        // Unpooled: a pooled connection may belong to an earlier cluster stopped on the same port (57P01 on first use).
        using var connection = new Npgsql.NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        connection.Open();
        using var exists = new Npgsql.NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection)
            { Parameters = { new() { Value = database } } };
        if (exists.ExecuteScalar() is not null) return;
        using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
        create.ExecuteNonQuery();
    }

    public void Stop()
    {
        if (_ownsServer && File.Exists(Path.Combine(DataDir, "postmaster.pid")))
            Run(_binDir, "pg_ctl", "-D", DataDir, "-m", "fast", "-w", "stop");
    }

    /// <summary>
    /// Starts the server again after <see cref="Stop"/>, on the same port with the same settings, so that clients
    /// holding the old connection string reconnect to it (the fault tests' database outage). Waits until it accepts
    /// connections; does nothing while it runs.
    /// </summary>
    public void StartAgain()
    {
        if (!_ownsServer || _serverOptions is null)
            throw new InvalidOperationException("Only a cluster that this process started can be started again.");
        if (RunningPort(DataDir) is not null) return;
        StartServer(_binDir, Directory, _serverOptions);
    }

    public void Dispose()
    {
        try { Stop(); }
        finally
        {
            if (_deleteOnDispose && System.IO.Directory.Exists(Directory))
                System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    static int? RunningPort(string dataDir)
    {
        var pidFile = Path.Combine(dataDir, "postmaster.pid");
        if (!File.Exists(pidFile)) return null;
        var lines = File.ReadAllLines(pidFile);
        if (lines.Length < 4 || !int.TryParse(lines[3], out var port)) return null;
        try
        {
            using var probe = new TcpClient();
            probe.Connect(IPAddress.Loopback, port);
            return port;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    static void CreateDirectory(string directory)
    {
        if (RunningAsRoot)
            RunAs(SuperUser, "mkdir", "-p", directory);
        else
            System.IO.Directory.CreateDirectory(directory);
    }

    static void Run(string binDir, string tool, params string[] args)
    {
        var path = Path.Combine(binDir, tool);
        if (RunningAsRoot)
            RunAs(SuperUser, path, args);
        else
            Execute(path, args);
    }

    static void RunAs(string user, string command, params string[] args) =>
        Execute("runuser", ["-u", user, "--", command, .. args]);

    static void Execute(string fileName, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {stderr}{stdout.Result}");
    }

    /// <summary>PostgreSQL's server binaries: on PATH, or the newest Debian install.</summary>
    public static string FindBinDir()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(dir => File.Exists(Path.Combine(dir, "pg_ctl")));
        if (onPath is not null) return onPath;
        var debian = System.IO.Directory.Exists("/usr/lib/postgresql")
            ? System.IO.Directory.GetDirectories("/usr/lib/postgresql")
                .Select(dir => Path.Combine(dir, "bin"))
                .Where(dir => File.Exists(Path.Combine(dir, "pg_ctl")))
                .OrderByDescending(dir => int.TryParse(Path.GetFileName(Path.GetDirectoryName(dir)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return debian ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (pg_ctl, initdb) were not found on PATH or under /usr/lib/postgresql. " +
            "Install PostgreSQL (Debian: apt-get install postgresql) or set ConnectionStrings:Purchases.");
    }

    static string StableHash(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..12];
}
