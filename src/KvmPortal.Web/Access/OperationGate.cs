using System.Text.Json;
using System.Text.Json.Serialization;
using KvmPortal.Hypervisor;
using KvmPortal.Web.Audit;
using KvmPortal.Web.Data;

namespace KvmPortal.Web.Access;

/// <summary>
/// The one path of every change: demand the permission, admit the operation (quotas), run it, write the audit entry
/// (ok, the error, or the refusal). Reads only demand the permission. Audit writes do not take the caller's
/// cancellation token: a cancelled operation is still recorded, and an entry that cannot be written fails the operation.
/// </summary>
public sealed class OperationGate(ICurrentActor actors, IAccessPolicy policy, IAuditLog audit, TimeProvider clock)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The actor, when allowed; <see cref="AccessDeniedException"/> (not audited) otherwise.</summary>
    public async Task<Actor> DemandAsync(PortalAction action, AccessTarget target, CancellationToken cancellationToken = default)
    {
        var actor = await GetActorAsync(action, cancellationToken);
        await policy.DemandAsync(actor, action, target, cancellationToken);
        return actor;
    }

    public async Task<bool> IsAllowedAsync(PortalAction action, AccessTarget target, CancellationToken cancellationToken = default) =>
        await policy.IsAllowedAsync(await GetActorAsync(action, cancellationToken), action, target, cancellationToken);

    public Task RunAsync(GatedOperation operation, Func<Task> run, CancellationToken cancellationToken = default) =>
        RunAsync(operation, async () => { await run(); return true; }, cancellationToken);

    /// <param name="failureOf">For operations that report failures in their result: the error, or null when it worked.</param>
    public async Task<T> RunAsync<T>(GatedOperation operation, Func<Task<T>> run, CancellationToken cancellationToken = default,
        Func<T, string?>? failureOf = null)
    {
        var actor = await GetActorAsync(operation.Permission, cancellationToken);
        if (!await IsAllowedAsync(actor, operation, cancellationToken))
        {
            var refusal = new AccessDeniedException(operation.Permission, $"{actor.UserName} may not {operation.Permission} here.");
            await RecordAsync(actor, operation, succeeded: false, "Refused: " + refusal.Message, null, null);
            throw refusal;
        }
        await AdmitAsync(actor, operation, cancellationToken);

        var before = await ReadXmlAsync(operation, cancellationToken);
        T result;
        try
        {
            result = await run();
        }
        catch (Exception e)
        {
            await RecordAsync(actor, operation, succeeded: false, e.Message, before, null);
            throw;
        }
        var after = await ReadXmlAsync(operation, cancellationToken);
        var failure = failureOf?.Invoke(result);
        try
        {
            await RecordAsync(actor, operation, succeeded: failure is null, failure, before, after);
        }
        catch (AuditWriteException e)
        {
            throw new HypervisorException($"{operation.AuditAction} was done, but its audit entry could not be written: {e.InnerException?.Message}")
            {
                Kind = HypervisorErrorKind.AuditNotRecorded,
            };
        }
        return result;
    }

    /// <summary>
    /// The permission check; when the grants cannot be read (the database is down) nothing may run, since nothing
    /// could be audited either, and the user is told so instead of getting the driver's exception.
    /// </summary>
    private async Task<bool> IsAllowedAsync(Actor actor, GatedOperation operation, CancellationToken cancellationToken)
    {
        try
        {
            return await policy.IsAllowedAsync(actor, operation.Permission, operation.Access, cancellationToken);
        }
        catch (Exception e) when (PortalDatabase.IsUnavailable(e))
        {
            throw new HypervisorException($"The portal's database is unavailable, so nothing was done: {e.Message}")
            {
                Kind = HypervisorErrorKind.PortalDatabaseUnavailable,
            };
        }
    }

    /// <summary>Runs the operation's admission check; a quota refusal is audited as a refusal, another failure as the error.</summary>
    private async Task AdmitAsync(Actor actor, GatedOperation operation, CancellationToken cancellationToken)
    {
        if (operation.Admit is null)
            return;
        try
        {
            await operation.Admit(cancellationToken);
        }
        catch (Exception e)
        {
            await RecordAsync(actor, operation, succeeded: false, Quotas.QuotaRules.IsRefusal(e) ? "Refused: " + e.Message : e.Message, null, null);
            throw;
        }
    }

    /// <summary>The signed-in actor; nobody signed in is refused as <paramref name="action"/>.</summary>
    public async Task<Actor> GetActorAsync(PortalAction action, CancellationToken cancellationToken = default)
    {
        try
        {
            return await actors.GetAsync(cancellationToken);
        }
        catch (AccessDeniedException e) when (e.Action != action)
        {
            throw new AccessDeniedException(action, e.Message);
        }
    }

    /// <summary>The XML for the audit; an unreadable XML (a VM that is gone) is recorded as none, not as a failure.</summary>
    private static async Task<string?> ReadXmlAsync(GatedOperation operation, CancellationToken cancellationToken)
    {
        if (operation.ReadXml is null)
            return null;
        try
        {
            return await operation.ReadXml(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }

    private Task RecordAsync(Actor actor, GatedOperation operation, bool succeeded, string? error, string? before, string? after) =>
        audit.RecordAsync(new AuditEntry(
            clock.GetUtcNow(), actor, operation.AuditAction, operation.AuditTarget,
            operation.Parameters is null ? null : JsonSerializer.Serialize(operation.Parameters, JsonOptions),
            succeeded, error, before, after), CancellationToken.None);
}
