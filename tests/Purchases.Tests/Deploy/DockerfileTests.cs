using System.Text.RegularExpressions;

namespace Purchases.Tests.Deploy;

/// <summary>deploy/Dockerfile, read as text: there is no Docker engine here to build it.</summary>
public sealed class DockerfileTests
{
    /// <summary>The instructions, continuation lines joined and comments dropped: (KEYWORD, arguments).</summary>
    static readonly List<(string Keyword, string Arguments)> Instructions = Regex
        .Replace(DeployFiles.Text("deploy/Dockerfile"), @"\\\r?\n", " ")
        .Split('\n')
        .Select(line => line.Trim())
        .Where(line => line.Length > 0 && !line.StartsWith('#'))
        .Select(line => line.Split(' ', 2))
        .Select(parts => (parts[0].ToUpperInvariant(), parts.Length > 1 ? parts[1].Trim() : ""))
        .ToList();

    static List<(string Keyword, string Arguments)> FinalStage =>
        Instructions[Instructions.FindLastIndex(i => i.Keyword == "FROM")..];

    [Fact]
    public void The_image_is_built_in_the_sdk_stage_and_runs_on_the_aspnet_runtime()
    {
        var stages = Instructions.Where(i => i.Keyword == "FROM").Select(i => i.Arguments).ToList();

        Assert.True(stages.Count >= 2, "not multi-stage");
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0 AS ", stages[0], StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", stages[^1]);
        Assert.Contains(Instructions, i => i.Keyword == "RUN" && i.Arguments.StartsWith("dotnet publish src -c Release -o /app"));
        Assert.Contains(FinalStage, i => i.Keyword == "COPY" && i.Arguments.StartsWith("--from="));
    }

    [Fact]
    public void The_image_ends_as_a_non_root_user_running_purchases_dll()
    {
        var user = FinalStage.Last(i => i.Keyword == "USER").Arguments;
        Assert.True(user == "$APP_UID" || (int.TryParse(user.Split(':')[0], out var uid) && uid != 0), $"USER {user}");

        Assert.Equal("ENTRYPOINT", Instructions[^1].Keyword);
        Assert.Equal("""["dotnet", "Purchases.dll"]""", Instructions[^1].Arguments);
        Assert.Contains("<AssemblyName>Purchases</AssemblyName>", DeployFiles.Text("src/Purchases.csproj"));
    }

    [Fact]
    public void The_image_listens_on_8080_in_production()
    {
        var env = string.Join(' ', FinalStage.Where(i => i.Keyword == "ENV").Select(i => i.Arguments));

        Assert.Contains("ASPNETCORE_URLS=http://+:8080", env);
        Assert.Contains("ASPNETCORE_ENVIRONMENT=Production", env);
        Assert.Contains(FinalStage, i => i.Keyword == "EXPOSE" && i.Arguments == "8080");
    }
}
