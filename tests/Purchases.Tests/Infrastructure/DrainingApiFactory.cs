using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Quartz;
using Purchases.Infrastructure.Outbox;
using Purchases.Infrastructure.Reconcile;

namespace Purchases.Tests.Infrastructure;

/// <summary>A second service instance on the same database, with Argo configured to a <see cref="FakeArgo"/> and a movable clock.</summary>
public class DrainingApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public FakeArgo Argo { get; private set; } = null!;
    public OffsetClock Clock { get; } = new();

    public async ValueTask InitializeAsync()
    {
        Argo = await StartArgoAsync();
        _ = Services;
        await StartupDrainDoneAsync();
    }

    /// <summary>
    /// The drain's schedule fires once at startup; a test that counts Argo calls must not meet that run later, on
    /// a loaded machine, draining the entries it has just written.
    /// </summary>
    async Task StartupDrainDoneAsync()
    {
        var scheduler = await Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var trigger = new TriggerKey($"{OutboxDrainJob.Key.Name}-every", OutboxDrainJob.Key.Group);
        for (var waited = 0; waited < 500; waited++)
        {
            if ((await scheduler.GetTrigger(trigger))?.PreviousFireTimeUtc is not null) break;
            await Task.Delay(20);
        }
        await Task.Delay(200); // that run finds nothing to do: the tests' entries come later
    }

    protected virtual Task<FakeArgo> StartArgoAsync() => FakeArgo.StartAsync();

    /// <summary>False for an instance that shares another's fake Argo (<see cref="SecondInstance"/>).</summary>
    protected virtual bool OwnsArgo => true;

    /// <summary>Another service instance on the same database and the same fake Argo, as a second pod would be.</summary>
    public async Task<DrainingApiFactory> SecondInstanceAsync()
    {
        var second = new SecondInstance(Argo);
        await second.InitializeAsync();
        return second;
    }

    sealed class SecondInstance(FakeArgo shared) : DrainingApiFactory
    {
        protected override Task<FakeArgo> StartArgoAsync() => Task.FromResult(shared);
        protected override bool OwnsArgo => false;
    }

    /// <summary>Settings beyond the defaults below, such as <c>Argo:CaFile</c>.</summary>
    protected virtual IEnumerable<(string Key, string Value)> ExtraSettings => [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Purchases", TestDatabase.Shared.ConnectionString);
        builder.UseSetting("Argo:BaseUrl", Argo.BaseUrl.ToString());
        builder.UseSetting("Argo:Timeout", "00:00:02");
        builder.UseSetting("Outbox:Lease", "00:00:10");
        // No polling: runs come from nudges and from the tests' own DrainAsync, so a test that moves the clock
        // never races a background run whose lease the clock jump would expire.
        builder.UseSetting("Outbox:PollInterval", "01:00:00");
        // The same for the reconciler: tests run it with ReconcileAsync.
        builder.UseSetting("Reconcile:Enabled", "false");
        foreach (var (key, value) in ExtraSettings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(s => s.AddSingleton<IClock>(Clock));
    }

    public Task<int> ReconcileAsync() => Services.GetRequiredService<WorkflowReconciler>().ReconcileAsync(CancellationToken.None);

    public OutboxDrainer NewDrainer() => ActivatorUtilities.CreateInstance<OutboxDrainer>(Services);

    public Task<int> DrainAsync() => Services.GetRequiredService<OutboxDrainer>().DrainAsync(CancellationToken.None);

    /// <summary>
    /// Moves the clock and drains, once no entry is in flight: jumping the clock past a live lease would let a second
    /// drainer take the entry over, which is right in production but makes call counts in a test a matter of luck.
    /// </summary>
    public async Task AdvanceAndDrainAsync(TimeSpan by)
    {
        var dataSource = Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        for (var waited = 0; waited < 250; waited++)
        {
            await using var leased = dataSource.CreateCommand("SELECT count(*) FROM outbox_entries WHERE locked_by IS NOT NULL");
            if ((long)(await leased.ExecuteScalarAsync())! == 0) break;
            await Task.Delay(20);
        }
        Clock.Advance(by);
        await DrainAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (OwnsArgo && Argo is not null) await Argo.DisposeAsync(); // null when InitializeAsync failed
    }
}
