using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Purchases.Infrastructure.Persistence;

namespace Purchases.Tests.Infrastructure;

/// <summary>
/// The service on a real loopback port (Kestrel, not TestServer), so that a browser can reach it; on the test run's
/// database, which the assembly's <see cref="ApiFactory"/> has migrated and owns (it is not stopped here).
/// </summary>
public sealed class KestrelApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public KestrelApiFactory() =>
        // Port 0: the OS picks a free port; loopback only.
        UseKestrel(k => k.Listen(IPAddress.Loopback, 0));

    /// <summary>The server's address, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting($"ConnectionStrings:{PersistenceRegistration.ConnectionStringName}",
            TestDatabase.Shared.ConnectionString);
    }

    public ValueTask InitializeAsync()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var address = addresses?.FirstOrDefault()
                      ?? throw new InvalidOperationException("Kestrel reported no listening address.");
        // Kestrel reports the bound endpoint, e.g. "http://127.0.0.1:41234".
        BaseAddress = new Uri(address.TrimEnd('/'));
        return ValueTask.CompletedTask;
    }
}
