using Npgsql;

namespace Purchases.Infrastructure.Outbox;

/// <summary>
/// Carries nudges between processes through PostgreSQL: a replay from the CLI (another process) sends
/// <c>NOTIFY</c>, and every service instance listening turns it into a local <see cref="OutboxSignal.Nudge"/>.
/// </summary>
public sealed class OutboxNotifications(NpgsqlDataSource dataSource, OutboxSignal signal, ILogger<OutboxNotifications> logger)
    : BackgroundService
{
    public const string Channel = "purchases_outbox";

    public static async Task NotifyAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"NOTIFY {Channel}");
        await command.ExecuteNonQueryAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => signal.Nudge();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                while (!stoppingToken.IsCancellationRequested)
                    await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Polling still drains; listening resumes once the database answers again.
                logger.LogWarning(e, "Listening for outbox notifications failed; retrying in 5 s");
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
            }
        }
    }
}
