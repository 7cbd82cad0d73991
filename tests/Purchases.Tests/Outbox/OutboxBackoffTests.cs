using Purchases.Infrastructure.Outbox;

namespace Purchases.Tests.Outbox;

public sealed class OutboxBackoffTests
{
    [Theory]
    [InlineData(1, 4)]
    [InlineData(2, 8)]
    [InlineData(3, 16)]
    [InlineData(4, 32)]
    [InlineData(5, 64)]
    [InlineData(6, 128)]
    [InlineData(7, 256)]
    [InlineData(8, 512)]
    [InlineData(9, 600)]
    [InlineData(10, 600)]
    public void The_delay_after_the_nth_failure_is_between_half_and_all_of_min_cap_base_times_two_to_the_n(int n, double d)
    {
        var random = new Random(n);
        var delays = Enumerable.Range(0, 2_000).Select(_ => OutboxBackoff.Delay(n, new OutboxOptions(), random).TotalSeconds).ToList();

        Assert.All(delays, s => Assert.InRange(s, d / 2, d));
        Assert.True(delays.Min() < d / 2 + d / 20 && delays.Max() > d - d / 20, "the jitter covers the whole range");
    }

    [Fact]
    public void A_longer_retry_after_wins_and_a_shorter_one_does_not()
    {
        var options = new OutboxOptions();

        Assert.Equal(120, OutboxBackoff.Delay(1, options, new Random(1), TimeSpan.FromSeconds(120)).TotalSeconds);
        Assert.InRange(OutboxBackoff.Delay(5, options, new Random(1), TimeSpan.FromSeconds(1)).TotalSeconds, 32, 64);
    }
}
