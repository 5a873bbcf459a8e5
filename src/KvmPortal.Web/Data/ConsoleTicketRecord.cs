using KvmPortal.Web.Consoles;

namespace KvmPortal.Web.Data;

/// <summary>
/// A console ticket as stored: only the SHA-256 of the token is kept, so a database reader cannot open
/// consoles. Kept in PostgreSQL (not memory) so any instance of the dashboard can redeem it.
/// </summary>
public sealed class ConsoleTicketRecord
{
    public Guid Id { get; set; }
    public byte[] TokenHash { get; set; } = [];
    public string UserId { get; set; } = "";
    public Guid HostId { get; set; }
    public Guid DomainUuid { get; set; }
    public ConsoleKind Kind { get; set; }
    public ConsoleMode Mode { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RedeemedAt { get; set; }
}
