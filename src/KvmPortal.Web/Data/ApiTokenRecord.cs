namespace KvmPortal.Web.Data;

/// <summary>
/// A personal API token as stored: only the SHA-256 of its secret is kept, with a short visible prefix that finds the
/// row and lets the owner tell tokens apart. The token itself is shown once, at creation.
/// </summary>
public sealed class ApiTokenRecord
{
    public const int NameMaxLength = 100;

    public Guid Id { get; set; }
    public string UserId { get; set; } = "";
    public string Name { get; set; } = "";
    public string Prefix { get; set; } = "";
    public byte[] SecretHash { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
