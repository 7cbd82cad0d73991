namespace Purchases.Cli;

/// <summary>A command that could not do what was asked; its message is the one line on stderr.</summary>
public sealed class CliFailure(string message) : Exception(message);
