using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace Purchases.Infrastructure.Api.OpenApi;

/// <summary>
/// Marks <c>error</c> and <c>detail</c> as the message of the error bodies, so generated clients (Kiota) raise
/// exceptions whose <c>Message</c> is the contract's text.
/// </summary>
internal sealed class PrimaryErrorMessages : IDocumentProcessor
{
    public void Process(DocumentProcessorContext context)
    {
        foreach (var (schema, property) in new[] { (nameof(ErrorBody), "error"), (nameof(DetailBody), "detail") })
            if (context.Document.Components.Schemas.TryGetValue(schema, out var body) && body.Properties.TryGetValue(property, out var message))
                (message.ExtensionData ??= new Dictionary<string, object?>())["x-ms-primary-error-message"] = true;
    }
}
