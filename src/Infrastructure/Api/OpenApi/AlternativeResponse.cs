using NJsonSchema;
using NSwag;
using NSwag.Generation.AspNetCore;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace Purchases.Infrastructure.Api.OpenApi;

/// <summary>Endpoint metadata: the 200 answer also comes as this text media type (chosen by <c>Accept</c>), for the document.</summary>
public sealed record AlternativeResponse(string MediaType, string Example);

internal sealed class AlternativeResponseProcessor : IOperationProcessor
{
    public bool Process(OperationProcessorContext context)
    {
        var alternatives = (context as AspNetCoreOperationProcessorContext)?.ApiDescription.ActionDescriptor.EndpointMetadata
            .OfType<AlternativeResponse>() ?? [];
        foreach (var alternative in alternatives)
            if (context.OperationDescription.Operation.Responses.TryGetValue("200", out var ok))
                ok.Content[alternative.MediaType] = new OpenApiMediaType
                {
                    Schema = new JsonSchema { Type = JsonObjectType.String },
                    Example = alternative.Example,
                };
        return true;
    }
}
