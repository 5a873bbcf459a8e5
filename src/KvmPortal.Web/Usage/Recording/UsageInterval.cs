using KvmPortal.Web.Data.Usage;

namespace KvmPortal.Web.Usage.Recording;

/// <summary>What the recorder writes for one host and one interval: one round trip to PostgreSQL.</summary>
public sealed record UsageInterval(
    Guid HostId,
    DateTimeOffset SampledAt,
    HostSampleRecord? Host,
    IReadOnlyList<RecordedVm> Vms);

/// <summary>A VM's sample row and the name it had, for the UsageVms upsert.</summary>
public sealed record RecordedVm(VmSampleRecord Sample, string Name);
