namespace Purchases.Infrastructure.Api;

/// <summary>The body of every error except authentication and permission errors: <c>{"error": "…"}</c>.</summary>
public sealed record ErrorBody(string Error);

/// <summary>The seed's form for 401 and 403: <c>{"detail": "…"}</c>.</summary>
public sealed record DetailBody(string Detail);

/// <summary>Endpoint metadata: the message a 500 from this endpoint carries (details go only to the log).</summary>
public sealed record InternalErrorMessage(string Message);
