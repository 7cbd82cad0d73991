using Purchases.Tests.Infrastructure;

namespace Purchases.Tests.Cli;

/// <summary>A fatal start-up error is one clear line and a non-zero exit code, never an unhandled-exception dump.</summary>
public sealed class StartupFailureTests
{
    const string Unreachable = "Host=127.0.0.1;Port=1;Database=purchases;Username=purchases;Timeout=3";

    static void AssertOneLineFailure(CliResult result, string expected)
    {
        Assert.Equal(1, result.ExitCode);
        var lines = (result.Stdout + result.Stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.DoesNotContain("Unhandled exception", result.Stdout + result.Stderr);
        Assert.Single(lines, l => l.Contains("Start-up failed", StringComparison.Ordinal) || l.Contains("unreachable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_connection_string_outside_development_is_one_line_and_exit_1()
    {
        var result = await CliProcess.RunAsync(new Dictionary<string, string?> { ["ConnectionStrings__Purchases"] = null });

        AssertOneLineFailure(result,
            "Start-up failed: ConnectionStrings:Purchases is not set. Only the Development environment starts its own PostgreSQL.");
    }

    [Fact]
    public async Task A_setting_that_is_not_a_number_is_one_line_naming_it()
    {
        var result = await CliProcess.RunAsync(new Dictionary<string, string?>
            { ["ConnectionStrings__Purchases"] = Unreachable, ["Outbox__BatchSize"] = "lots" });

        AssertOneLineFailure(result, "Start-up failed: Failed to convert configuration value 'lots' at 'Outbox:BatchSize'");
    }

    [Fact]
    public async Task A_setting_out_of_its_range_is_one_line_naming_it()
    {
        var result = await CliProcess.RunAsync(new Dictionary<string, string?>
            { ["ConnectionStrings__Purchases"] = Unreachable, ["Outbox__BatchSize"] = "0" });

        AssertOneLineFailure(result, "Start-up failed: DataAnnotation validation failed for 'OutboxOptions' members: 'BatchSize'");
    }

    [Fact]
    public async Task A_setting_given_as_a_command_line_switch_reaches_the_service()
    {
        var result = await CliProcess.RunAsync(new Dictionary<string, string?> { ["ConnectionStrings__Purchases"] = Unreachable },
            "--Outbox:BatchSize=0");

        AssertOneLineFailure(result, "Start-up failed: DataAnnotation validation failed for 'OutboxOptions' members: 'BatchSize'");
    }

    [Fact]
    public async Task Migrate_against_an_unreachable_database_is_one_line_and_exit_1()
    {
        var result = await CliProcess.RunAsync(new Dictionary<string, string?> { ["ConnectionStrings__Purchases"] = Unreachable }, "migrate");

        AssertOneLineFailure(result, "The database is unreachable: Failed to connect to 127.0.0.1:1");
    }

    [Fact]
    public async Task A_key_ring_certificate_that_cannot_serve_is_one_line_naming_its_setting()
    {
        using var rsa = KeyRingCertificateFiles.Rsa("keyring");
        using var ecdsa = KeyRingCertificateFiles.Ecdsa("keyring-ec");
        var cases = new (Dictionary<string, string?> Settings, string Expected)[]
        {
            (new() { ["DataProtection__Certificate__Path"] = "/nonexistent/keyring.crt" },
                "Start-up failed: DataProtection:Certificate:Path: there is no file at /nonexistent/keyring.crt."),
            (rsa.WithoutKey(), "has no private key (give it in the file or in DataProtection:Certificate:KeyPath)."),
            (ecdsa.AsPem(), "must have an RSA key (XML encryption wraps keys with RSA only)."),
            (rsa.AsPkcs12("right", given: "wrong"), "could not be read as a certificate: "),
        };
        foreach (var (settings, expected) in cases)
        {
            settings["ConnectionStrings__Purchases"] = Unreachable;
            AssertOneLineFailure(await CliProcess.RunAsync(settings, "keyring", "list"), expected);
        }
    }
}
