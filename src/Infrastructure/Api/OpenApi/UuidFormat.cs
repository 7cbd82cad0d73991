using NJsonSchema;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace Purchases.Infrastructure.Api.OpenApi;

/// <summary>NSwag writes Guids as <c>format: guid</c>; OpenAPI tools (Kiota among them) know <c>uuid</c>.</summary>
internal sealed class UuidFormat : IDocumentProcessor
{
    public void Process(DocumentProcessorContext context)
    {
        var schemas = context.Document.Components.Schemas.Values.SelectMany(s => s.Properties.Values.Cast<JsonSchema>())
            .Concat(context.Document.Operations.SelectMany(o => o.Operation.Parameters).Select(p => p.Schema).OfType<JsonSchema>());
        foreach (var schema in schemas.Where(s => s.Format == "guid"))
            schema.Format = "uuid";
    }
}
