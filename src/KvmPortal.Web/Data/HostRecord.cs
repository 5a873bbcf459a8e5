namespace KvmPortal.Web.Data;

/// <summary>A libvirt host the dashboard connects to. Its live state lives in the inventory, not here.</summary>
public sealed class HostRecord
{
    public const int NameMaxLength = 100;
    public const int UriMaxLength = 1024;

    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string Uri { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The host's TLS/SSH credentials, protected with Data Protection (HostCredentialProtector); null: none.</summary>
    [System.Text.Json.Serialization.JsonIgnore] // never part of any response, even encrypted
    public string? ProtectedCredentials { get; set; }
}
