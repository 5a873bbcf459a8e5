using System.Buffers.Text;
using System.Security.Cryptography;
using KvmPortal.Web.Access;
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
/// Issuing goes through the access gate (audited, refusals too) and never grants more than the actor may have: a
/// full console asked for by someone with view-only access gets a view-only ticket. The page hands the ticket to the
/// console WebSocket, which redeems it and checks the permission again.
/// </summary>
public sealed class ConsoleTickets(
    IDbContextFactory<KvmPortalDbContext> contexts,
    TimeProvider clock,
    OperationGate gate,
    ConsoleAccess access,
    AuditTargets targets)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    /// <summary>A ticket for the signed-in actor, who must be <paramref name="userId"/>; its mode may be narrower than asked.</summary>
    public async Task<string> IssueAsync(string userId, ConsoleTarget target, CancellationToken cancellationToken = default)
    {
        var actor = await gate.GetActorAsync(ConsoleAccess.PermissionOf(target.Mode), cancellationToken);
        if (actor.UserId != userId)
            throw new AccessDeniedException(ConsoleAccess.PermissionOf(target.Mode), "A console ticket is only issued to the signed-in user.");
        var mode = await access.GetModeAsync(actor, target.HostId, target.DomainUuid, target.Mode, cancellationToken);
        // Refused (mode null): the gate is asked for what was requested, so it refuses and audits the refusal.
        var granted = target with { Mode = mode ?? target.Mode };
        var vm = new Hypervisor.Vms.VmKey(target.HostId, target.DomainUuid);
        return await gate.RunAsync(
            new GatedOperation(ConsoleAccess.PermissionOf(granted.Mode), "console.ticket", AccessTarget.Of(vm), targets.Vm(vm),
                new { kind = target.Kind, requested = target.Mode, granted = mode }),
            () => StoreAsync(userId, granted, cancellationToken), cancellationToken);
    }

    private async Task<string> StoreAsync(string userId, ConsoleTarget target, CancellationToken cancellationToken)
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
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

        // The conditional update is the gate: of two instances redeeming at once, exactly one changes the row. It returns
        // the ticket too, so a good ticket costs one round trip (this is on every console's set-up path).
        var redeemed = await db.ConsoleTickets.FromSql($"""
            UPDATE "ConsoleTickets" SET "RedeemedAt" = {now}
            WHERE "TokenHash" = {hash} AND "UserId" = {userId} AND "RedeemedAt" IS NULL AND "ExpiresAt" > {now}
            RETURNING *
            """).AsNoTracking().ToListAsync(cancellationToken);
        if (redeemed is [var good])
            return new TicketRedemption(new ConsoleTarget(good.HostId, good.DomainUuid, good.Kind, good.Mode), null);

        var ticket = await db.ConsoleTickets.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
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
}
