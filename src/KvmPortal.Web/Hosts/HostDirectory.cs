using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Web.Data;
using KvmPortal.Web.Hosts.Credentials;
using KvmPortal.Web.Localization;
using KvmPortal.Web.Resources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Npgsql;

namespace KvmPortal.Web.Hosts;

/// <summary>
/// The outcome of a host registry change: either it worked, or <see cref="Error"/> says why not (and, for credentials,
/// <see cref="Problems"/> says it per field).
/// </summary>
public sealed record HostDirectoryResult(HostRecord? Host, string? Error)
{
    public IReadOnlyList<HostCredentialProblem> Problems { get; init; } = [];
    public bool Succeeded => Error is null;
    public static HostDirectoryResult Ok(HostRecord? host = null) => new(host, null);
    public static HostDirectoryResult Fail(string error) => new(null, error);
    public static HostDirectoryResult Fail(IReadOnlyList<HostCredentialProblem> problems) =>
        new(null, string.Join(" ", problems.Select(p => p.Message))) { Problems = problems };
}

/// <summary>The registry of hosts, as pages see it (through the access gate).</summary>
public interface IHostDirectory
{
    Task<IReadOnlyList<HostRecord>> ListAsync(CancellationToken cancellationToken = default);
    Task<HostDirectoryResult> AddAsync(string? name, string? uri, HostCredentialInput? credentials = null, CancellationToken cancellationToken = default);
    Task<HostDirectoryResult> RemoveAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Replaces the host's stored credentials (null or empty: removes them) and reconnects it with them.</summary>
    Task<HostDirectoryResult> SetCredentialsAsync(Guid id, HostCredentialInput? credentials, CancellationToken cancellationToken = default);

    /// <summary>What is stored for the host (subjects, expiry, fingerprints; never the keys), or null when nothing is.</summary>
    Task<HostCredentialSummary?> CredentialSummaryAsync(Guid id, CancellationToken cancellationToken = default);
    string? ValidateName(string? name);
    string? ValidateUri(string? uri);
}

/// <summary>The registry of hosts: validates input, persists it, and attaches/detaches the host sessions.</summary>
public sealed class HostDirectory(
    IDbContextFactory<KvmPortalDbContext> contextFactory,
    IHostManager hostManager,
    TimeProvider timeProvider,
    IStringLocalizer<Strings> text,
    HostCredentialValidator credentialValidator,
    HostCredentialProtector protector,
    ILogger<HostDirectory> logger) : IHostDirectory
{
    public async Task<IReadOnlyList<HostRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Hosts.AsNoTracking().OrderBy(h => h.Name).ToListAsync(cancellationToken);
    }

    public async Task<HostDirectoryResult> AddAsync(
        string? name, string? uri, HostCredentialInput? credentials = null, CancellationToken cancellationToken = default)
    {
        name = name?.Trim() ?? "";
        uri = uri?.Trim() ?? "";
        if (ValidateName(name) is { } nameError)
            return HostDirectoryResult.Fail(nameError);
        if (ValidateUri(uri) is { } uriError)
            return HostDirectoryResult.Fail(uriError);
        var check = credentialValidator.Check(credentials ?? new HostCredentialInput(), uri);
        if (!check.IsValid)
            return HostDirectoryResult.Fail(check.Problems);

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Hosts.AnyAsync(h => h.Name == name, cancellationToken))
            return HostDirectoryResult.Fail(text["HostNameTaken", name]);
        if (await db.Hosts.FirstOrDefaultAsync(h => h.Uri == uri, cancellationToken) is { } sameUri)
            return HostDirectoryResult.Fail(text["HostUriTaken", sameUri.Name]);

        var host = new HostRecord
        {
            Id = Guid.NewGuid(), Name = name, Uri = uri, CreatedAt = timeProvider.GetUtcNow(),
            ProtectedCredentials = check.Credentials is { } stored ? protector.Protect(stored) : null,
        };
        db.Hosts.Add(host);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Someone added the same name or URI between our check and the insert.
            return HostDirectoryResult.Fail(text["HostAlreadyExists"]);
        }

        hostManager.Attach(new HostDefinition(host.Id, host.Name, host.Uri) { Credentials = check.Credentials });
        return HostDirectoryResult.Ok(host);
    }

    public async Task<HostDirectoryResult> SetCredentialsAsync(Guid id, HostCredentialInput? credentials, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Hosts.FirstOrDefaultAsync(h => h.Id == id, cancellationToken) is not { } host)
            return HostDirectoryResult.Fail(text["HostNotFound"]);
        var check = credentialValidator.Check(credentials ?? new HostCredentialInput(), host.Uri);
        if (!check.IsValid)
            return HostDirectoryResult.Fail(check.Problems);

        host.ProtectedCredentials = check.Credentials is { } stored ? protector.Protect(stored) : null;
        await db.SaveChangesAsync(cancellationToken);
        // A new session connects with the new credentials (and writes their files afresh).
        await hostManager.DetachAsync(id);
        hostManager.Attach(new HostDefinition(host.Id, host.Name, host.Uri) { Credentials = check.Credentials });
        return HostDirectoryResult.Ok(host);
    }

    public async Task<HostCredentialSummary?> CredentialSummaryAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.Hosts.Where(h => h.Id == id).Select(h => h.ProtectedCredentials).FirstOrDefaultAsync(cancellationToken);
        return stored is null ? null : HostCredentialSummary.Of(protector.Unprotect(stored));
    }

    public async Task<HostDirectoryResult> RemoveAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            var deleted = await db.Hosts.Where(h => h.Id == id).ExecuteDeleteAsync(cancellationToken);
            if (deleted == 0)
                return HostDirectoryResult.Fail(text["HostNotFound"]);
        }
        await hostManager.DetachAsync(id);
        return HostDirectoryResult.Ok();
    }

    /// <summary>Attaches every stored host; used at start-up (Attach is idempotent per host id).</summary>
    public async Task AttachAllAsync(CancellationToken cancellationToken = default)
    {
        foreach (var host in await ListAsync(cancellationToken))
            hostManager.Attach(new HostDefinition(host.Id, host.Name, host.Uri) { Credentials = ReadCredentials(host) });
    }

    private HostCredentials? ReadCredentials(HostRecord host)
    {
        if (host.ProtectedCredentials is null)
            return null;
        try
        {
            return protector.Unprotect(host.ProtectedCredentials);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            // The Data Protection key is gone (another database, keys deleted): the host connects without them.
            logger.LogError(e, "The stored credentials of host {Host} cannot be read; replace them on its page", host.Name);
            return null;
        }
    }

    public string? ValidateName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return text["HostNameRequired"];
        if (name.Length > HostRecord.NameMaxLength)
            return text["HostNameTooLong", HostRecord.NameMaxLength];
        if (!name.All(IsNameCharacter))
            return text["HostNameInvalid"];
        return null;
    }

    /// <summary>What is wrong with a libvirt URI in the user's language, or null when it is acceptable.</summary>
    public string? ValidateUri(string? uri) => ErrorMessages.ValidateHostUri(text, uri);

    internal static bool IsNameCharacter(char c) => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' or ' ';
}
