using System.Security.Cryptography;
using KvmPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace KvmPortal.Web.Consoles;

/// <summary>Why a ticket was not honoured; for the log and the audit, never shown in detail to the client.</summary>
public enum TicketRefusal { Unknown, Expired, AlreadyUsed, OtherUser }

public sealed record TicketRedemption(ConsoleTarget? Target, TicketRefusal? Refusal)
{
    public bool Succeeded => Target is not null;
}

/// <summary>
/// Single-use console tickets: 256 random bits, valid for a short time, bound to the user and the target.
/// The page asks for one after the permission check and hands it to the console WebSocket, which redeems it.
/// </summary>
public sealed class ConsoleTickets(IDbContextFactory<KvmPortalDbContext> contexts, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    public async Task<string> IssueAsync(string userId, ConsoleTarget target, CancellationToken cancellationToken = default)
    {
        var token = Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.ConsoleTickets.Add(new ConsoleTicketRecord
        {
            Id = Guid.NewGuid(),
            TokenHash = Hash(token),
            UserId = userId,
            HostId = target.HostId,
            DomainUuid = target.DomainUuid,
            Kind = target.Kind,
            Mode = target.Mode,
            IssuedAt = now,
            ExpiresAt = now + Lifetime,
        });
        // Expired tickets are useless; clearing them here keeps the table small without a background job.
        await db.ConsoleTickets.Where(t => t.ExpiresAt < now - Lifetime).ExecuteDeleteAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }

    /// <summary>Redeems the ticket for <paramref name="userId"/>: succeeds once, within its lifetime, for its owner.</summary>
    public async Task<TicketRedemption> RedeemAsync(string token, string userId, CancellationToken cancellationToken = default)
    {
        var hash = Hash(token);
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);

        // The conditional update is the gate: of two instances redeeming at once, exactly one changes the row.
        var redeemed = await db.ConsoleTickets
            .Where(t => t.TokenHash == hash && t.UserId == userId && t.RedeemedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RedeemedAt, now), cancellationToken);

        var ticket = await db.ConsoleTickets.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (redeemed == 1 && ticket is not null)
            return new TicketRedemption(new ConsoleTarget(ticket.HostId, ticket.DomainUuid, ticket.Kind, ticket.Mode), null);

        var refusal = ticket switch
        {
            null => TicketRefusal.Unknown,
            { UserId: var owner } when owner != userId => TicketRefusal.OtherUser,
            { RedeemedAt: not null } => TicketRefusal.AlreadyUsed,
            _ => TicketRefusal.Expired,
        };
        return new TicketRedemption(null, refusal);
    }

    private static byte[] Hash(string token) => SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(token));

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
