namespace KvmPortal.Web.Usage.Recording;

/// <summary>
/// PostgreSQL advisory lock keys of the usage history, in the two-int key space: the first int says what is locked
/// (so these never meet another feature's locks), the second which host.
/// </summary>
public static class UsageLockKeys
{
    public const int HostRecording = 0x4B_55_52_48; // "KURH"
    public const int Rollup = 0x4B_55_52_52; // "KURR"

    /// <summary>A host's key. Two hosts hashing alike only means one instance records both.</summary>
    public static int Of(Guid hostId)
    {
        Span<int> parts = stackalloc int[4];
        hostId.TryWriteBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(parts));
        return parts[0] ^ parts[1] ^ parts[2] ^ parts[3];
    }
}
