using Npgsql;
using Purchases.Infrastructure.Auth;
using Purchases.Infrastructure.Outbox;

namespace Purchases.Infrastructure.Persistence;

/// <summary>
/// Signals between processes through PostgreSQL <c>LISTEN/NOTIFY</c>: a CLI replay nudges every running service's
/// drain, and a CLI revocation makes every service forget the tokens it had cached.
/// </summary>
public sealed class DatabaseNotifications(
    [FromKeyedServices(PurchasesDataSource.ListenerKey)] NpgsqlDataSource listenerDataSource,
    OutboxSignal outbox, TokenStore tokens, ILogger<DatabaseNotifications> logger) : BackgroundService
{
    public const string OutboxChannel = "purchases_outbox";
    public const string TokensChannel = "purchases_tokens";

    public static async Task NotifyAsync(NpgsqlDataSource dataSource, string channel, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"NOTIFY {channel}");
        await command.ExecuteNonQueryAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await listenerDataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    if (e.Channel == OutboxChannel) outbox.Nudge();
                    else if (e.Channel == TokensChannel) tokens.Forget();
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {OutboxChannel}; LISTEN {TokensChannel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                // Anything cached before listening could have missed a revocation.
                tokens.Forget();
                while (!stoppingToken.IsCancellationRequested)
                    await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Polling still drains and cached tokens still expire; listening resumes once the database answers.
                tokens.Forget();
                logger.LogWarning("Listening for database notifications failed, retrying in 5 s: {Reason}", e.GetBaseException().Message);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
            }
        }
    }
}
