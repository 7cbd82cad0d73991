namespace Purchases.Tests.Infrastructure;

/// <summary>The checkout's root (the folder with Purchases.sln), found from the test binaries.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Purchases.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Purchases.sln not found above " + AppContext.BaseDirectory);
    }
}
