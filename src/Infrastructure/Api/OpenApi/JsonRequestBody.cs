using Namotion.Reflection;
using NSwag;
using NSwag.Generation.AspNetCore;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace Purchases.Infrastructure.Api.OpenApi;

/// <summary>
/// Endpoint metadata: the JSON body an endpoint reads itself (its binder checks raw JSON types), for the document.
/// FastEndpoints would describe it from Accepts metadata, which would also make routing answer 415 before
/// authentication; so the body is documented here instead.
/// </summary>
public sealed record JsonRequestBody(Type Schema, string ExampleJson);

internal sealed class JsonRequestBodyProcessor : IOperationProcessor
{
    public bool Process(OperationProcessorContext context)
    {
        var body = (context as AspNetCoreOperationProcessorContext)?.ApiDescription.ActionDescriptor.EndpointMetadata
            .OfType<JsonRequestBody>().FirstOrDefault();
        if (body is null) return true;

        var schema = context.SchemaGenerator.GenerateWithReferenceAndNullability<NJsonSchema.JsonSchema>(
            body.Schema.ToContextualType(), false, context.SchemaResolver);
        context.OperationDescription.Operation.RequestBody = new OpenApiRequestBody
        {
            IsRequired = true,
            Content = { ["application/json"] = new OpenApiMediaType { Schema = schema, Example = Newtonsoft.Json.Linq.JToken.Parse(body.ExampleJson) } },
        };
        return true;
    }
}
