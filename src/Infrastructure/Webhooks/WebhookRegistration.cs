using Purchases.Infrastructure.KeyRing;

namespace Purchases.Infrastructure.Webhooks;

public static class WebhookRegistration
{
    /// <summary>Webhook endpoints' secrets and deliveries; deliveries drain with the outbox.</summary>
    public static WebApplicationBuilder AddWebhooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section)
            .PostConfigure(o => o.AllowHttp |= builder.Environment.IsDevelopment())
            .ValidateDataAnnotations().ValidateOnStart();
        builder.AddKeyRing();
        builder.Services.AddSingleton<WebhookSecrets>();
        builder.Services.AddSingleton<WebhookDeliverer>();
        builder.Services.AddWebhookHttp();
        return builder;
    }
}
