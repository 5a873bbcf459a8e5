using KvmPortal.Web.Audit;

namespace KvmPortal.Web.Access;

/// <summary>
/// An operation to run through <see cref="OperationGate"/>: the permission it needs on what, how it is audited
/// (action name, target, parameters serialized as JSON), for edits how to read the XML before and after, and an
/// admission check run after the permission and before the operation (team quotas): what it throws is audited as a
/// refusal and the operation does not run.
/// </summary>
public sealed record GatedOperation(
    PortalAction Permission,
    string AuditAction,
    AccessTarget Access,
    AuditTarget AuditTarget,
    object? Parameters = null,
    Func<CancellationToken, Task<string?>>? ReadXml = null,
    Func<CancellationToken, Task>? Admit = null);
