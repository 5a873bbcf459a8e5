namespace KvmPortal.Libvirt;

/// <summary>
/// The typed parameters of a migration (VIR_MIGRATE_PARAM_*): <paramref name="Uri"/> where the destination's QEMU
/// listens for the data (e.g. "tcp://10.0.0.2"), null to let the destination say; <paramref name="BandwidthMiBps"/>
/// the most it may use, null for no limit.
/// </summary>
public sealed record MigrationParameters(string? Uri = null, ulong? BandwidthMiBps = null);

/// <summary>
/// The current job of a domain (virDomainGetJobStats): its type and the fields libvirt gave, e.g. "data_processed",
/// "data_remaining", "data_total" (bytes), "downtime" and "time_elapsed" (ms).
/// </summary>
public sealed record DomainJobStats(DomainJobType Type, IReadOnlyDictionary<string, object> Fields)
{
    /// <summary>An unsigned field as a number, null when libvirt did not give it.</summary>
    public ulong? Get(string field) => Fields.TryGetValue(field, out var value) ? value switch
    {
        ulong u => u,
        long l when l >= 0 => (ulong)l,
        uint u => u,
        int i when i >= 0 => (ulong)i,
        _ => null,
    } : null;
}
