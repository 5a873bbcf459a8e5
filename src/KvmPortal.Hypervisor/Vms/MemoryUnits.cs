namespace KvmPortal.Hypervisor.Vms;

/// <summary>libvirt's memory and capacity units (docs: "formatdomain.html#memory-allocation").</summary>
public static class MemoryUnits
{
    public static ulong ToBytes(ulong value, string? unit) => checked(value * Multiplier(unit));

    private static ulong Multiplier(string? unit) => unit switch
    {
        "b" or "bytes" => 1,
        "KB" => 1_000,
        null or "" or "k" or "KiB" => 1UL << 10,
        "MB" => 1_000_000,
        "M" or "MiB" => 1UL << 20,
        "GB" => 1_000_000_000,
        "G" or "GiB" => 1UL << 30,
        "TB" => 1_000_000_000_000,
        "T" or "TiB" => 1UL << 40,
        "PB" => 1_000_000_000_000_000,
        "P" or "PiB" => 1UL << 50,
        _ => throw new FormatException($"Unknown memory unit '{unit}'."),
    };
}
