using KvmPortal.Web.Audit;

namespace KvmPortal.Web.Access;

/// <summary>
/// An operation to run through <see cref="OperationGate"/>: the permission it needs on what, how it is audited
/// (action name, target, parameters serialized as JSON), and for edits how to read the XML before and after.
/// </summary>
public sealed record GatedOperation(
    PortalAction Permission,
    string AuditAction,
    AccessTarget Access,
    AuditTarget AuditTarget,
    object? Parameters = null,
    Func<CancellationToken, Task<string?>>? ReadXml = null);
