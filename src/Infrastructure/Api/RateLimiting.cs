using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;

namespace Purchases.Infrastructure.Api;

public sealed class RateLimitingOptions
{
    public const string Section = "RateLimiting";

    /// <summary>Off unless configured (the deployment turns it on); tests leave it off.</summary>
    public bool Enabled { get; set; }
    [Range(1, 1_000_000)] public int PermitsPerSecond { get; set; } = 50;
    [Range(1, 1_000_000)] public int Burst { get; set; } = 100;
}

/// <summary>
/// Per token (per client address without one): a token bucket of <c>Burst</c> requests refilled at
/// <c>PermitsPerSecond</c>. Over it: 429 <c>{"error": "Too many requests."}</c> with <c>Retry-After</c>. It runs before
/// authentication, so a flood of requests never reaches the token look-up.
/// </summary>
public static class RateLimiting
{
    public const string TooManyRequests = "Too many requests.";

    public static WebApplicationBuilder AddRateLimiting(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitingOptions>().BindConfiguration(RateLimitingOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        var options = builder.Configuration.GetSection(RateLimitingOptions.Section).Get<RateLimitingOptions>() ?? new();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                options.Enabled && !context.Request.Path.StartsWithSegments("/healthz") && !context.Request.Path.StartsWithSegments("/readyz")
                    ? RateLimitPartition.GetTokenBucketLimiter(PartitionKey(context), _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = options.Burst,
                        TokensPerPeriod = options.PermitsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
            limiter.OnRejected = (rejected, _) =>
            {
                var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
                rejected.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString();
                return new ValueTask(ApiErrors.WriteErrorAsync(rejected.HttpContext, StatusCodes.Status429TooManyRequests, TooManyRequests));
            };
        });
        return builder;
    }

    /// <summary>The bearer token itself (kept only in memory, never logged), else the client address.</summary>
    static string PartitionKey(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        return authorization.Length > 0 ? $"token:{authorization}" : $"address:{context.Connection.RemoteIpAddress}";
    }
}
