namespace KvmPortal.Libvirt;

// Values are those of libvirt-stream.h and libvirt-storage.h (libvirt 9.0).

/// <summary>virStorageVolResizeFlags.</summary>
[Flags]
public enum StorageVolumeResizeFlags : uint
{
    None = 0,
    Allocate = 1 << 0,
    Delta = 1 << 1,
    Shrink = 1 << 2,
}

/// <summary>virStorageVolWipeAlgorithm.</summary>
public enum StorageVolumeWipeAlgorithm : uint
{
    Zero = 0,
    Nnsa = 1,
    Dod = 2,
    Bsi = 3,
    Gutmann = 4,
    Schneier = 5,
    Pfitzner7 = 6,
    Pfitzner33 = 7,
    Random = 8,
    Trim = 9,
}

/// <summary>virStorageVolUploadFlags / virStorageVolDownloadFlags.</summary>
[Flags]
public enum StorageVolumeTransferFlags : uint
{
    None = 0,
    SparseStream = 1 << 0,
}

/// <summary>virStreamFlags.</summary>
[Flags]
public enum StreamFlags : uint
{
    None = 0,
    NonBlock = 1 << 0,
}

/// <summary>virStreamEventType.</summary>
[Flags]
public enum StreamEvents
{
    None = 0,
    Readable = 1 << 0,
    Writable = 1 << 1,
    Error = 1 << 2,
    Hangup = 1 << 3,
}

/// <summary>virDomainConsoleFlags.</summary>
[Flags]
public enum DomainConsoleFlags : uint
{
    None = 0,
    /// <summary>Take the console over from a client that has it open (that client's stream ends).</summary>
    Force = 1 << 0,
    /// <summary>Fail unless the driver can guarantee exclusive access (a second client is refused, not merged).</summary>
    Safe = 1 << 1,
}
