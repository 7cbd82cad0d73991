using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Purchases.Infrastructure.Outbox;

namespace Purchases.Tests.Infrastructure;

/// <summary>A second service instance on the same database, with Argo configured to a <see cref="FakeArgo"/> and a movable clock.</summary>
public sealed class DrainingApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public FakeArgo Argo { get; private set; } = null!;
    public OffsetClock Clock { get; } = new();

    public async ValueTask InitializeAsync()
    {
        Argo = await FakeArgo.StartAsync();
        _ = Services;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Purchases", TestDatabase.Shared.ConnectionString);
        builder.UseSetting("Argo:BaseUrl", Argo.BaseUrl.ToString());
        builder.UseSetting("Argo:Timeout", "00:00:02");
        builder.UseSetting("Outbox:Lease", "00:00:10");
        builder.ConfigureTestServices(s => s.AddSingleton<IClock>(Clock));
    }

    public OutboxDrainer NewDrainer() => ActivatorUtilities.CreateInstance<OutboxDrainer>(Services);

    public Task<int> DrainAsync() => Services.GetRequiredService<OutboxDrainer>().DrainAsync(CancellationToken.None);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Argo.DisposeAsync();
    }
}
