using FastEndpoints;
using FluentValidation;
using Purchases.Infrastructure.Persistence;

namespace Purchases.Features.RegisterWebhook;

public sealed class RegisterWebhookValidator : Validator<RegisterWebhookRequest>
{
    public static readonly string EventsMessage =
        $"Webhook \"events\" must list one or more of: {string.Join(", ", WebhookEvent.All)}.";

    public RegisterWebhookValidator()
    {
        RuleFor(r => r.Events).Must(e => e is { Length: > 0 } && e.All(WebhookEvent.All.Contains)).WithMessage(EventsMessage);
    }
}
