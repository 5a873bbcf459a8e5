namespace KvmPortal.Hypervisor.Vms.Templates;

/// <summary>
/// Marks VMs as templates (or not), in the domain's metadata on the host (<see cref="VmTemplateTag"/>). VMs are made
/// from a template by cloning it (<see cref="Clone.CloneSpec.FromTemplate"/>).
/// </summary>
public interface IVmTemplates
{
    /// <summary>
    /// Marks the VM as a template (it must be shut off and persistent; it is then refused when started), or removes
    /// the mark. Setting what the VM already is changes nothing.
    /// </summary>
    Task SetTemplateAsync(VmKey vm, bool template, CancellationToken cancellationToken = default);
}
