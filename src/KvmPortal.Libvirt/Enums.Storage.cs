namespace KvmPortal.Libvirt;

// Values are those of libvirt-storage.h (libvirt 9.0).

/// <summary>virStoragePoolState.</summary>
public enum StoragePoolState
{
    Inactive = 0,
    Building = 1,
    Running = 2,
    Degraded = 3,
    Inaccessible = 4,
}

/// <summary>virStorageVolType.</summary>
public enum StorageVolumeType
{
    File = 0,
    Block = 1,
    Dir = 2,
    Network = 3,
    NetDir = 4,
    Ploop = 5,
}

/// <summary>virConnectListAllStoragePoolsFlags (the state and persistence filters; type filters omitted).</summary>
[Flags]
public enum ListAllStoragePoolsFlags : uint
{
    None = 0,
    Inactive = 1 << 0,
    Active = 1 << 1,
    Persistent = 1 << 2,
    Transient = 1 << 3,
    Autostart = 1 << 4,
    NoAutostart = 1 << 5,
    Dir = 1 << 6,
}

/// <summary>virStoragePoolDefineFlags.</summary>
[Flags]
public enum DefineStoragePoolFlags : uint
{
    None = 0,
    Validate = 1 << 0,
}

/// <summary>virStoragePoolBuildFlags.</summary>
[Flags]
public enum StoragePoolBuildFlags : uint
{
    New = 0,
    Repair = 1 << 0,
    Resize = 1 << 1,
    NoOverwrite = 1 << 2,
    Overwrite = 1 << 3,
}

/// <summary>virStoragePoolCreateFlags.</summary>
[Flags]
public enum StoragePoolCreateFlags : uint
{
    None = 0,
    WithBuild = 1 << 0,
    WithBuildOverwrite = 1 << 1,
    WithBuildNoOverwrite = 1 << 2,
}

/// <summary>virStoragePoolDeleteFlags.</summary>
[Flags]
public enum StoragePoolDeleteFlags : uint
{
    Normal = 0,
    Zeroed = 1 << 0,
}

/// <summary>virStorageVolCreateFlags.</summary>
[Flags]
public enum StorageVolumeCreateFlags : uint
{
    None = 0,
    PreallocMetadata = 1 << 0,
    Reflink = 1 << 1,
    Validate = 1 << 2,
}

/// <summary>virStorageVolDeleteFlags.</summary>
[Flags]
public enum StorageVolumeDeleteFlags : uint
{
    Normal = 0,
    Zeroed = 1 << 0,
    WithSnapshots = 1 << 1,
}

/// <summary>virStorageXMLFlags.</summary>
[Flags]
public enum StorageXmlFlags : uint
{
    None = 0,
    Inactive = 1 << 0,
}
