namespace KvmPortal.Libvirt;

/// <summary>virStoragePoolInfo: sizes in bytes.</summary>
public sealed record StoragePoolInfo(StoragePoolState State, ulong CapacityBytes, ulong AllocationBytes, ulong AvailableBytes);

/// <summary>virStorageVolInfo: sizes in bytes.</summary>
public sealed record StorageVolumeInfo(StorageVolumeType Type, ulong CapacityBytes, ulong AllocationBytes);
