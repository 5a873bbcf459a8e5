using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Hypervisor.Vms.Edit;
using KvmPortal.Web.Audit;
using KvmPortal.Web.Components.Pages.Vms.Edit;
using KvmPortal.Web.Tests.Fakes;

namespace KvmPortal.Web.Tests.Vms;

public sealed class VmEditViewModelTests
{
    private readonly RecordingVmEditing editing = new();
    private readonly VmInfo vm = new(Guid.NewGuid(), Guid.NewGuid(), "web1", VmState.Running, 2, 512UL << 20, null, null, true);

    private VmDetails Details(VmState state, string xml = "<domain><os><boot dev='cdrom'/><boot dev='hd'/><bootmenu enable='yes'/></os></domain>") =>
        new(vm with { State = state }, "Web", null, "kvm", "hvm", "x86_64", "q35", 1UL << 30, true, [], [], [], xml);

    [Fact]
    public void A_reread_keeps_what_the_user_is_typing_and_takes_what_changed_elsewhere()
    {
        var model = new VmEditViewModel(editing, vm.Key);
        model.Load(Details(VmState.ShutOff));
        Assert.Equal("Web", model.Title);

        model.Title = "half typed";
        model.Load(Details(VmState.ShutOff) with { Info = vm with { State = VmState.ShutOff, VCpus = 4 } });
        Assert.Equal("half typed", model.Title);
        Assert.Equal(4, model.VCpus);

        model.Load(Details(VmState.ShutOff) with { Title = "half typed", Description = "set with virsh" });
        Assert.Equal("half typed", model.Title);
        Assert.Equal("set with virsh", model.Description);
    }

    [Fact]
    public async Task A_running_vm_can_change_live_and_persistently_a_shut_off_one_only_its_definition()
    {
        var model = new VmEditViewModel(editing, vm.Key);
        model.Load(Details(VmState.Running));
        Assert.Equal([ChangeScope.Both, ChangeScope.Live, ChangeScope.Config], model.Scopes);
        Assert.Equal(ChangeScope.Config, model.Scope);
        Assert.Equal(512, model.MemoryMiB);
        Assert.Equal([BootDevice.Cdrom, BootDevice.Hd], model.BootOrder);
        Assert.True(model.BootMenu);
        Assert.False(model.CanRename);

        model.Scope = ChangeScope.Live;
        model.VCpus = 3;
        await model.SetVcpusAsync();
        model.MemoryMiB = 256;
        await model.SetMemoryAsync();

        model.Load(Details(VmState.ShutOff));
        Assert.Equal(ChangeScope.Config, model.Scope);
        Assert.Equal([ChangeScope.Config], model.Scopes);
        Assert.True(model.CanRename);
        Assert.Equal(["SetVcpus 3 Live", $"SetMemory {256UL << 20} Live"], editing.Calls);
    }

    [Fact]
    public async Task Libvirts_refusal_of_edited_xml_is_kept_next_to_the_editor()
    {
        var model = new VmEditViewModel(editing, vm.Key);
        await model.LoadXmlAsync();
        Assert.False(model.XmlChanged);

        model.EditedXml = editing.PersistentXml.Replace("web1", "web2");
        Assert.True(model.XmlChanged);
        Assert.Equal([DiffKind.Unchanged, DiffKind.Removed, DiffKind.Added, DiffKind.Unchanged], model.XmlDiff().Select(l => l.Kind));

        editing.Failure = new HypervisorException("The XML of web1 was refused.", "XML error: element 'nam' unexpected");
        Assert.False(await model.SaveXmlAsync());
        Assert.Equal("XML error: element 'nam' unexpected", model.XmlError);
        Assert.True(model.XmlChanged); // the text stays for fixing

        editing.Failure = null;
        Assert.True(await model.SaveXmlAsync());
        Assert.Null(model.XmlError);
        Assert.Contains("ReplaceXml", editing.Calls);
    }

    [Fact]
    public async Task The_attach_forms_build_disk_and_nic_specs()
    {
        var model = new VmEditViewModel(editing, vm.Key) { NewDiskPool = "images", NewDiskVolume = "data.qcow2", NewDiskSizeGiB = 1, Scope = ChangeScope.Both };

        Assert.Equal(new NewVolumeSpec("images", "data.qcow2", 1UL << 30), model.NewDisk().NewVolume);
        await model.AttachDiskAsync();
        model.NewNicKind = NicSourceKind.Bridge;
        model.NewNicSource = "br0";
        await model.AttachNicAsync();
        await model.EjectAsync("sda");

        Assert.Equal(["AttachDisk data.qcow2 Disk Both", "AttachNic Bridge br0 Both", "ChangeMedia sda eject Both"], editing.Calls);
    }

    [Fact]
    public void Line_diff_marks_only_the_changed_lines()
    {
        var diff = LineDiff.Compare("a\nb\nc\nd", "a\nc\nx\nd\ne");

        Assert.Equal(["  a", "- b", "  c", "+ x", "  d", "+ e"],
            diff.Select(l => (l.Kind switch { DiffKind.Added => "+ ", DiffKind.Removed => "- ", _ => "  " }) + l.Text));
    }
}
