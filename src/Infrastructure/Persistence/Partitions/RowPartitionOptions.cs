using System.ComponentModel.DataAnnotations;

namespace Purchases.Infrastructure.Persistence.Partitions;

/// <summary>The monthly partitions of <c>purchase_rows</c> (docs/design/partitioning.md).</summary>
public sealed class RowPartitionOptions
{
    public const string Section = "RowPartitions";

    /// <summary>Months made ahead of the current one, so that a submit never waits for a partition.</summary>
    [Range(1, 24)] public int MonthsAhead { get; set; } = 3;

    /// <summary>
    /// Unset (the default): rows are kept for ever. Set: the rows of purchases created more than this many whole
    /// months before the current one are dropped, a month's partition at a time (the purchases themselves stay).
    /// </summary>
    [Range(1, 1200)] public int? RetentionMonths { get; set; }

    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);
}
