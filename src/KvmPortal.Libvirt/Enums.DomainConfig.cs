namespace KvmPortal.Libvirt;

// Values are those of libvirt-domain.h (libvirt 9.0).

/// <summary>virDomainModificationImpact (VIR_DOMAIN_AFFECT_*), also VIR_DOMAIN_DEVICE_MODIFY_* and VIR_DOMAIN_MEM_*'s low bits.</summary>
[Flags]
public enum DomainModificationImpact : uint
{
    Current = 0,
    Live = 1 << 0,
    Config = 1 << 1,
}

/// <summary>virDomainVcpuFlags.</summary>
[Flags]
public enum DomainVcpuFlags : uint
{
    Current = 0,
    Live = 1 << 0,
    Config = 1 << 1,
    Maximum = 1 << 2,
    Guest = 1 << 3,
    Hotpluggable = 1 << 4,
}

/// <summary>virDomainMemoryModFlags.</summary>
[Flags]
public enum DomainMemoryFlags : uint
{
    Current = 0,
    Live = 1 << 0,
    Config = 1 << 1,
    Maximum = 1 << 2,
}

/// <summary>virDomainDeviceModifyFlags.</summary>
[Flags]
public enum DomainDeviceModifyFlags : uint
{
    Current = 0,
    Live = 1 << 0,
    Config = 1 << 1,
    Force = 1 << 2,
}

/// <summary>virDomainMetadataType.</summary>
public enum DomainMetadataType
{
    Description = 0,
    Title = 1,
    Element = 2,
}

/// <summary>virDomainSaveRestoreFlags, as far as virDomainManagedSave takes them.</summary>
[Flags]
public enum DomainSaveFlags : uint
{
    None = 0,
    BypassCache = 1 << 0,
    Running = 1 << 1,
    Paused = 1 << 2,
}
