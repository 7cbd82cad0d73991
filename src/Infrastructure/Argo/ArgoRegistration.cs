using Microsoft.Extensions.Options;

namespace Purchases.Infrastructure.Argo;

public static class ArgoRegistration
{
    /// <summary>Binds <see cref="ArgoOptions"/> (validated at start) and registers <see cref="IArgoWorkflows"/> and <see cref="ArgoWorkflowWatch"/> as singletons.</summary>
    public static WebApplicationBuilder AddArgo(this WebApplicationBuilder builder)
    {
        builder.Services.AddArgo(builder.Configuration);
        return builder;
    }

    /// <summary>The same on a bare service collection (tests); <paramref name="configuration"/> holds the "Argo" section.</summary>
    public static IServiceCollection AddArgo(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ArgoOptions>()
            .Bind(configuration.GetSection(ArgoOptions.Section))
            .Validate(o => !string.IsNullOrWhiteSpace(o.Namespace), "Argo:Namespace must not be empty.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.WorkflowTemplate), "Argo:WorkflowTemplate must not be empty.")
            .Validate(o => o.BaseUrl is null || o.BaseUrl.IsAbsoluteUri && o.BaseUrl.Scheme is "http" or "https",
                "Argo:BaseUrl must be an absolute http or https URL.")
            .Validate(o => o.Timeout > TimeSpan.Zero, "Argo:Timeout must be positive.")
            .Validate(o => o.Token is null || o.TokenFile is null, "Set Argo:Token or Argo:TokenFile, not both.")
            .Validate(o => o.CaFile is null || File.Exists(o.CaFile), "Argo:CaFile names a file that does not exist.")
            .ValidateOnStart();
        services.AddSingleton<IArgoWorkflows>(sp => new ArgoWorkflows(
            sp.GetRequiredService<IOptions<ArgoOptions>>(),
            sp.GetRequiredService<ILogger<ArgoWorkflows>>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton<ArgoWorkflowWatch>();
        return services;
    }
}
