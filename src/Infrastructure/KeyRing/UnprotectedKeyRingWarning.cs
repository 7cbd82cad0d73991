namespace Purchases.Infrastructure.KeyRing;

/// <summary>
/// One warning when the service starts outside Development without <c>DataProtection:Certificate</c>: ASP.NET says so
/// only when it makes a key, which may have been months ago and in another instance.
/// </summary>
public sealed class UnprotectedKeyRingWarning(ILogger<UnprotectedKeyRingWarning> logger) : IHostedService
{
    public const string Message =
        "DataProtection:Certificate is not set: the key ring that encrypts webhook secrets is stored unencrypted in the database";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogWarning(Message);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
