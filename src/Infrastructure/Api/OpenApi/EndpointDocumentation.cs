using System.Reflection;
using System.Text.Json;
using FastEndpoints;
using NJsonSchema;
using NSwag;
using NSwag.Generation.AspNetCore;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace Purchases.Infrastructure.Api.OpenApi;

/// <summary>
/// What FastEndpoints leaves out once the default Accepts metadata is cleared: the <c>[QueryParam]</c> and <c>[FromHeader]</c>
/// parameters of the request DTO (with the summary's descriptions), and short operation ids for generated clients
/// (<c>SubmitPurchase</c>, <c>SubmitPurchase2</c> for an endpoint's second route).
/// </summary>
internal sealed class EndpointDocumentation : IOperationProcessor
{
    public bool Process(OperationProcessorContext context)
    {
        var metadata = (context as AspNetCoreOperationProcessorContext)?.ApiDescription.ActionDescriptor.EndpointMetadata;
        if (metadata?.OfType<EndpointDefinition>().FirstOrDefault() is not { } endpoint) return true;
        var operation = context.OperationDescription.Operation;

        var route = context.OperationDescription.Path;
        var routeNumber = endpoint.Routes.Length > 1 && char.IsDigit(operation.OperationId[^1]) ? operation.OperationId[^1..] : "";
        operation.OperationId = endpoint.EndpointType.Name.Replace("Endpoint", "") + (routeNumber is "1" ? "" : routeNumber);

        foreach (var property in endpoint.ReqDtoType.GetProperties().Where(p => p.GetCustomAttribute<QueryParamAttribute>() is not null))
        {
            var name = JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name);
            if (route.Contains($"{{{name}}}") || operation.Parameters.Any(p => p.Name == name)) continue;
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                Kind = OpenApiParameterKind.Query,
                IsRequired = new NullabilityInfoContext().Create(property).ReadState == NullabilityState.NotNull,
                Description = endpoint.EndpointSummary?.Params.GetValueOrDefault(name),
                Schema = new JsonSchema { Type = JsonObjectType.String },
            });
        }
        foreach (var property in endpoint.ReqDtoType.GetProperties())
        {
            if (property.GetCustomAttribute<FromHeaderAttribute>() is not { } header || operation.Parameters.Any(p => p.Name == header.HeaderName))
                continue;
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = header.HeaderName,
                Kind = OpenApiParameterKind.Header,
                IsRequired = header.IsRequired,
                Description = endpoint.EndpointSummary?.Params.GetValueOrDefault(JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name)),
                Schema = new JsonSchema { Type = JsonObjectType.String },
            });
        }
        return true;
    }
}
