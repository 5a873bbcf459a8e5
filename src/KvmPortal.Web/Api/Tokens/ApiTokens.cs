using System.Security.Cryptography;
using System.Text.Json;
using KvmPortal.Web.Access;
using KvmPortal.Web.Audit;
using KvmPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace KvmPortal.Web.Api.Tokens;

/// <summary>Why a presented token was not accepted; for the log, never told apart to the client.</summary>
public enum TokenRefusal { Malformed, Unknown, Revoked, Expired }

public sealed record TokenCheck(ApiTokenRecord? Token, TokenRefusal? Refusal);

/// <summary>A token just created: the one time its full text exists outside the user's hands.</summary>
public sealed record CreatedToken(ApiTokenRecord Record, string Token);

/// <summary>
/// Personal API tokens: created and revoked by their owner, checked on every API request. Creation and revocation
/// are written to the audit log when one is registered.
/// </summary>
public sealed class ApiTokens(IDbContextFactory<KvmPortalDbContext> contexts, TimeProvider clock, IAuditLog? auditLog = null)
{
    /// <summary>Last-used is written at most this often per token, so busy clients do not write on every request.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>The resource key of what is wrong with the name or expiry, or null when they are fine.</summary>
    public string? Validate(string? name, DateTimeOffset? expiresAt)
    {
        if (string.IsNullOrWhiteSpace(name))
            return "ApiTokenNameRequired";
        if (name.Trim().Length > ApiTokenRecord.NameMaxLength)
            return "ApiTokenNameTooLong";
        if (expiresAt is { } expiry && expiry <= clock.GetUtcNow())
            return "ApiTokenExpiryPast";
        return null;
    }

    public async Task<CreatedToken> CreateAsync(Actor owner, string name, DateTimeOffset? expiresAt, CancellationToken cancellationToken = default)
    {
        if (Validate(name, expiresAt) is { } problem)
            throw new ArgumentException(problem, nameof(name));
        var token = ApiTokenFormat.NewToken();
        var record = new ApiTokenRecord
        {
            Id = Guid.NewGuid(),
            UserId = owner.UserId,
            Name = name.Trim(),
            Prefix = token.Prefix,
            SecretHash = ApiTokenFormat.Hash(token.Secret),
            CreatedAt = clock.GetUtcNow(),
            ExpiresAt = expiresAt?.ToUniversalTime(),
        };
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            db.ApiTokens.Add(record);
            await db.SaveChangesAsync(cancellationToken);
        }
        await AuditAsync(owner, AuditActions.ApiTokenCreate, record, cancellationToken);
        return new CreatedToken(record, token.ToString());
    }

    /// <summary>The user's tokens, newest first, revoked ones included (they show as revoked).</summary>
    public async Task<IReadOnlyList<ApiTokenRecord>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId)
            .OrderByDescending(t => t.CreatedAt).ToListAsync(cancellationToken);
    }

    /// <summary>Revokes one of the owner's own tokens; false when it is not theirs or already revoked.</summary>
    public async Task<bool> RevokeAsync(Actor owner, Guid tokenId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        ApiTokenRecord? record;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var revoked = await db.ApiTokens
                .Where(t => t.Id == tokenId && t.UserId == owner.UserId && t.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
            if (revoked == 0)
                return false;
            record = await db.ApiTokens.AsNoTracking().SingleAsync(t => t.Id == tokenId, cancellationToken);
        }
        await AuditAsync(owner, AuditActions.ApiTokenRevoke, record, cancellationToken);
        return true;
    }

    /// <summary>Checks a presented token: well formed, known, the secret's hash equal (in constant time), not revoked or expired.</summary>
    public async Task<TokenCheck> CheckAsync(string? presented, CancellationToken cancellationToken = default)
    {
        if (ApiTokenFormat.Parse(presented) is not { } token)
            return new TokenCheck(null, TokenRefusal.Malformed);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var record = await db.ApiTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Prefix == token.Prefix, cancellationToken);
        if (record is null || !CryptographicOperations.FixedTimeEquals(record.SecretHash, ApiTokenFormat.Hash(token.Secret)))
            return new TokenCheck(null, TokenRefusal.Unknown);
        var now = clock.GetUtcNow();
        if (record.RevokedAt is not null)
            return new TokenCheck(null, TokenRefusal.Revoked);
        if (record.ExpiresAt is { } expiry && expiry <= now)
            return new TokenCheck(null, TokenRefusal.Expired);

        if (record.LastUsedAt is not { } lastUsed || now - lastUsed >= LastUsedResolution)
        {
            var staleBefore = now - LastUsedResolution;
            // Conditional, so parallel requests write once and the value never goes backwards.
            await db.ApiTokens.Where(t => t.Id == record.Id && (t.LastUsedAt == null || t.LastUsedAt <= staleBefore))
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), cancellationToken);
        }
        return new TokenCheck(record, null);
    }

    private async Task AuditAsync(Actor owner, string action, ApiTokenRecord record, CancellationToken cancellationToken)
    {
        if (auditLog is null)
            return;
        var parameters = JsonSerializer.Serialize(new { record.Id, record.Name, record.Prefix, record.ExpiresAt });
        await auditLog.RecordAsync(new AuditEntry(clock.GetUtcNow(), owner, action,
            new AuditTarget(Other: $"api-token {record.Prefix} ({record.Name})"), parameters, true, null), cancellationToken);
    }
}
