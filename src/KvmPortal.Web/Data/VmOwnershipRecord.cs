namespace KvmPortal.Web.Data;

/// <summary>
/// The query index of VM ownership: which team owns a VM. The domain's libvirt metadata holds the same fact on the
/// host; this table is what permission checks and lists read. A VM without a row belongs to no team.
/// </summary>
public sealed class VmOwnershipRecord
{
    public Guid HostId { get; set; }
    public Guid VmUuid { get; set; }
    public Guid TeamId { get; set; }
}
