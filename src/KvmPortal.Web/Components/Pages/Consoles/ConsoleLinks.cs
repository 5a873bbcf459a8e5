using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Web.Components.Pages.Consoles;

/// <summary>Where a VM's consoles open (relative to the base href).</summary>
public static class ConsoleLinks
{
    public static string Vnc(VmInfo vm, bool viewOnly) => $"vms/{vm.HostId}/{vm.Uuid}/console" + (viewOnly ? "?mode=view" : "");

    public static string Serial(VmInfo vm) => $"vms/{vm.HostId}/{vm.Uuid}/serial";
}
