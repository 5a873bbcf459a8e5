namespace KvmPortal.Web.Data.Usage;

/// <summary>
/// The VMs the usage tables speak of, by UUID, with what they were last seen as: reports still name a VM that has
/// since been deleted. Upserted by the recorder.
/// </summary>
public sealed class UsageVmRecord
{
    public const int NameMaxLength = 256;

    public Guid VmUuid { get; set; }
    public Guid HostId { get; set; }
    public required string Name { get; set; }
    public Guid? TeamId { get; set; }
    public DateTimeOffset FirstSeenAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
}
