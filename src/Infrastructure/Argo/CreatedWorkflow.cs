using System.Text.Json;
using System.Text.Json.Serialization;

namespace Purchases.Infrastructure.Argo;

/// <summary>
/// The one field the service needs from Argo's answer to a create: the workflow's uid. Argo answers with the whole
/// workflow (our spec back, and its status); read through Kiota's models, that was a fifth of all the memory a
/// submit's pipeline allocates, so the answer is read with System.Text.Json, which skips the rest.
/// </summary>
sealed record CreatedWorkflow(CreatedWorkflow.ObjectMeta? Metadata)
{
    public sealed record ObjectMeta(string? Uid);

    public static async Task<string?> UidFromAsync(Stream answer, CancellationToken ct) =>
        (await JsonSerializer.DeserializeAsync(answer, CreatedWorkflowJson.Default.CreatedWorkflow, ct))?.Metadata?.Uid;
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(CreatedWorkflow))]
sealed partial class CreatedWorkflowJson : JsonSerializerContext;
