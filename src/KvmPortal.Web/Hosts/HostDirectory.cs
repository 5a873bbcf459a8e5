using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Web.Data;
using KvmPortal.Web.Localization;
using KvmPortal.Web.Resources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Npgsql;

namespace KvmPortal.Web.Hosts;

/// <summary>The outcome of a host registry change: either it worked, or <see cref="Error"/> says why not.</summary>
public sealed record HostDirectoryResult(HostRecord? Host, string? Error)
{
    public bool Succeeded => Error is null;
    public static HostDirectoryResult Ok(HostRecord? host = null) => new(host, null);
    public static HostDirectoryResult Fail(string error) => new(null, error);
}

/// <summary>The registry of hosts, as pages see it (through the access gate).</summary>
public interface IHostDirectory
{
    Task<IReadOnlyList<HostRecord>> ListAsync(CancellationToken cancellationToken = default);
    Task<HostDirectoryResult> AddAsync(string? name, string? uri, CancellationToken cancellationToken = default);
    Task<HostDirectoryResult> RemoveAsync(Guid id, CancellationToken cancellationToken = default);
    string? ValidateName(string? name);
    string? ValidateUri(string? uri);
}

/// <summary>The registry of hosts: validates input, persists it, and attaches/detaches the host sessions.</summary>
public sealed class HostDirectory(
    IDbContextFactory<KvmPortalDbContext> contextFactory,
    IHostManager hostManager,
    TimeProvider timeProvider,
    IStringLocalizer<Strings> text) : IHostDirectory
{
    public async Task<IReadOnlyList<HostRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Hosts.AsNoTracking().OrderBy(h => h.Name).ToListAsync(cancellationToken);
    }

    public async Task<HostDirectoryResult> AddAsync(string? name, string? uri, CancellationToken cancellationToken = default)
    {
        name = name?.Trim() ?? "";
        uri = uri?.Trim() ?? "";
        if (ValidateName(name) is { } nameError)
            return HostDirectoryResult.Fail(nameError);
        if (ValidateUri(uri) is { } uriError)
            return HostDirectoryResult.Fail(uriError);

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Hosts.AnyAsync(h => h.Name == name, cancellationToken))
            return HostDirectoryResult.Fail(text["HostNameTaken", name]);
        if (await db.Hosts.FirstOrDefaultAsync(h => h.Uri == uri, cancellationToken) is { } sameUri)
            return HostDirectoryResult.Fail(text["HostUriTaken", sameUri.Name]);

        var host = new HostRecord { Id = Guid.NewGuid(), Name = name, Uri = uri, CreatedAt = timeProvider.GetUtcNow() };
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

        hostManager.Attach(new HostDefinition(host.Id, host.Name, host.Uri));
        return HostDirectoryResult.Ok(host);
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
            hostManager.Attach(new HostDefinition(host.Id, host.Name, host.Uri));
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
