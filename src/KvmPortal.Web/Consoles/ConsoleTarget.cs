namespace KvmPortal.Web.Consoles;

public enum ConsoleKind { Vnc, Serial }

public enum ConsoleMode { Full, ViewOnly }

/// <summary>What a console ticket opens: one kind of console of one VM, fully or view-only.</summary>
public sealed record ConsoleTarget(Guid HostId, Guid DomainUuid, ConsoleKind Kind, ConsoleMode Mode);
