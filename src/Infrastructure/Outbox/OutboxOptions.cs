using System.ComponentModel.DataAnnotations;

namespace Purchases.Infrastructure.Outbox;

public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>The safety net: the drain also runs this often, besides being nudged after each commit.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
    [Range(1, 10_000)] public int BatchSize { get; set; } = 100;
    [Range(1, 1_000)] public int MaxAttempts { get; set; } = 10;
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan BackoffCap { get; set; } = TimeSpan.FromMinutes(10);
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);
    /// <summary>How long a claim is ours; at least twice the Argo timeout plus the read-back.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);
    [Range(1, 256)] public int Parallelism { get; set; } = 8;
    /// <summary>One drain run stops claiming after this long, so Quartz can schedule the next.</summary>
    public TimeSpan RunBudget { get; set; } = TimeSpan.FromSeconds(20);
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);
}
