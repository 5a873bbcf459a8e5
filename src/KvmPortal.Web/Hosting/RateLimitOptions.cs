using System.ComponentModel.DataAnnotations;

namespace KvmPortal.Web.Hosting;

/// <summary>The "RateLimits" configuration section.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Sign-in form posts (password, two-factor code, password change) one client address may make per minute.</summary>
    [Range(1, 100_000)]
    public int SignInPerMinute { get; set; } = 10;

    /// <summary>API requests one user (or, unauthenticated, one client address) may make per minute.</summary>
    [Range(1, 1_000_000)]
    public int ApiPerMinute { get; set; } = 600;
}
