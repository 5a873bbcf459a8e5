using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Web.Components.Pages.Vms.Create;
using KvmPortal.Web.Components.Shared;
using KvmPortal.Web.Tests.Fakes;
using KvmPortal.Web.Vms.OsVariants;

namespace KvmPortal.Web.Tests.Vms;

public sealed class CreateVmViewModelTests
{
    private readonly RecordingVmProvisioning provisioning = new();
    private readonly FakeStorageQueries storage = new();
    private readonly CreateVmViewModel model;

    public CreateVmViewModelTests() => model = new CreateVmViewModel(provisioning, storage, new RecordingNetworkOperations());

    internal static HostInfo Host(string name = "alpha", bool kvm = true) => new(
        Guid.NewGuid(), name, "qemu:///system", HostStatus.Online, null, DateTimeOffset.UtcNow,
        new HostCapabilities(name, "QEMU", "Skylake", "x86_64", 8, 1, 4, 2, 2400, 16UL << 30, kvm, "9.0.0", "7.2.0"));

    private async Task<HostInfo> OnHostAsync(bool kvm = true)
    {
        var host = Host(kvm: kvm);
        storage.AddPool(host.Id, "images");
        storage.AddPool(host.Id, "default");
        await model.SelectHostAsync(host, InventorySnapshot.Empty);
        return host;
    }

    [Fact]
    public async Task Builds_a_direct_kernel_boot_spec_like_virt_install()
    {
        var host = await OnHostAsync(kvm: false);
        model.Name = "web1";
        model.Title = "  Web server ";
        model.Description = "";
        model.Install = InstallKind.Kernel;
        model.KernelPath = "/boot/vmlinuz";
        model.InitrdPath = "/boot/initrd.img";
        model.KernelArgs = "console=ttyS0";
        model.MemoryMiB = 128;
        model.MaxMemoryMiB = 256;
        model.VCpus = 2;
        model.MaxVCpus = 4;
        model.SetTopology = true;
        model.Sockets = 1; model.Cores = 2; model.Threads = 2;
        model.Nics[0].Mac = "52:54:00:aa:bb:cc";
        model.BootOrder.Add(BootDevice.Hd);
        model.StartAfterCreate = false;

        var spec = model.BuildSpec();

        Assert.Equal(host.Id, spec.HostId);
        Assert.Equal("web1", spec.Name);
        Assert.Equal("Web server", spec.Title);
        Assert.Null(spec.Description);
        Assert.Null(spec.OsVariantId);
        Assert.Equal(DomainKind.Qemu, spec.Kind); // the host has no KVM
        Assert.Equal(CpuMode.Custom, spec.CpuMode);
        Assert.Equal("qemu64", spec.CpuModel);
        Assert.Equal(new KernelBootSource("/boot/vmlinuz", "/boot/initrd.img", "console=ttyS0"), spec.Install);
        Assert.Equal(128UL << 20, spec.MemoryBytes);
        Assert.Equal(256UL << 20, spec.MaxMemoryBytes);
        Assert.Equal(new CpuTopology(1, 2, 2), spec.Topology);
        Assert.Equal([NicSpec.OnNetwork("default", NicModel.Virtio, "52:54:00:aa:bb:cc")], spec.Nics);
        Assert.Equal([BootDevice.Hd], spec.BootOrder);
        Assert.False(spec.StartAfterCreate);
        Assert.Empty(DomainSpecValidator.Validate(spec, []));
    }

    [Fact]
    public async Task Kvm_is_chosen_when_the_host_has_it_and_passthrough_is_dropped_for_emulation()
    {
        await OnHostAsync(kvm: true);
        Assert.True(model.UseKvm);
        Assert.Equal(CpuMode.HostPassthrough, model.CpuMode);

        model.SetAccelerator(false);
        Assert.Equal(DomainKind.Qemu, model.BuildSpec().Kind);
        Assert.Equal(CpuMode.Custom, model.CpuMode);

        model.SetAccelerator(true);
        Assert.Equal(CpuMode.HostPassthrough, model.CpuMode);
    }

    [Fact]
    public async Task New_disks_go_to_the_default_pool_and_build_new_or_existing_volumes()
    {
        await OnHostAsync();
        model.Name = "db1";
        var disk = model.AddDisk();
        disk.SizeGiB = 2.5;
        disk.Format = VolumeFormat.Raw;
        disk.Preallocation = Preallocation.Full;
        var existing = model.AddDisk();
        existing.IsNew = false;
        existing.ExistingVolume = "data.qcow2";
        existing.Shareable = true;

        var spec = model.BuildSpec();

        Assert.Equal("default", disk.Pool);
        Assert.Equal(new NewVolumeSpec("default", "db1.qcow2", 2560UL << 20, VolumeFormat.Raw, Preallocation.Full), spec.Disks[0].NewVolume);
        Assert.Null(spec.Disks[1].NewVolume);
        Assert.Equal(new VolumeRef("default", "data.qcow2"), spec.Disks[1].ExistingVolume);
        Assert.True(spec.Disks[1].Shareable);
        Assert.Equal("db1-1.qcow2", existing.VolumeName);
    }

    [Fact]
    public async Task An_os_variant_fills_in_its_recommendations()
    {
        await OnHostAsync();
        model.AddDisk();
        var dos = new OsVariant("http://microsoft.com/msdos/6.22", "msdos6.22", "MS-DOS 6.22", "6.22", 4UL << 20, 32UL << 20, 1, 1UL << 30, false);

        model.SelectOsVariant(dos);

        var spec = model.BuildSpec();
        Assert.Equal(dos.Id, spec.OsVariantId);
        Assert.Equal(32UL << 20, spec.MemoryBytes);
        Assert.Equal(1UL << 30, spec.Disks[0].NewVolume!.SizeBytes);
        Assert.Equal(DiskBus.Sata, spec.Disks[0].Bus);
        Assert.Equal(NicModel.E1000, spec.Nics[0].Model);
    }

    [Fact]
    public async Task Next_stays_on_a_step_with_problems_and_shows_them_there()
    {
        await OnHostAsync();
        model.Name = "a/b";

        Assert.False(await model.NextAsync());

        Assert.Equal(WizardStep.Basics, model.Step);
        Assert.NotNull(model.ErrorFor("Name"));
        Assert.All(model.ProblemsOn(WizardStep.Basics), p => Assert.Equal("Name", p.Field));
    }

    [Fact]
    public async Task Without_a_host_the_first_step_asks_for_one()
    {
        model.Name = "web1";

        Assert.False(await model.NextAsync());

        Assert.Equal(WizardStep.Basics, model.Step);
        Assert.NotNull(model.ErrorFor("HostId"));
        Assert.Empty(provisioning.Validated);
    }

    [Fact]
    public async Task A_name_taken_on_the_host_is_reported_by_the_service()
    {
        await OnHostAsync();
        provisioning.ExistingNames.Add("web1");
        model.Name = "web1";

        Assert.False(await model.NextAsync());
        Assert.Contains("already exists", model.ErrorFor("Name"));
    }

    [Fact]
    public async Task Problems_of_later_steps_do_not_block_earlier_ones_but_block_the_review()
    {
        await OnHostAsync();
        model.Name = "web1";
        model.Install = InstallKind.Kernel; // no kernel path yet

        Assert.True(await model.NextAsync());
        Assert.Equal(WizardStep.Install, model.Step);
        Assert.NotNull(model.ErrorFor("Install.KernelPath"));

        // Jumping ahead to the review lands on the first step with a problem.
        Assert.False(await model.GoToAsync(WizardStep.Review));
        Assert.Equal(WizardStep.Install, model.Step);

        model.KernelPath = "/boot/vmlinuz";
        var disk = model.AddDisk();
        disk.SizeGiB = 0;
        Assert.False(await model.GoToAsync(WizardStep.Review));
        Assert.Equal(WizardStep.Disks, model.Step);
        Assert.NotNull(model.ErrorFor("Disks[0].SizeBytes"));
        Assert.Equal(WizardStep.Disks, CreateVmViewModel.StepOf("Disks[0].SizeBytes"));
    }

    [Fact]
    public async Task The_review_previews_and_create_returns_the_new_vm()
    {
        var host = await OnHostAsync();
        model.Name = "web1";
        model.AddDisk();

        Assert.True(await model.GoToAsync(WizardStep.Review));
        Assert.Equal(WizardStep.Review, model.Step);
        Assert.Contains("<name>web1</name>", model.Plan!.DomainXml);
        Assert.Single(model.Plan.Volumes);

        var key = await model.CreateAsync();

        Assert.Equal(new VmKey(host.Id, provisioning.CreatedUuid), key);
        Assert.Equal("web1", Assert.Single(provisioning.Created).Name);
    }

    [Fact]
    public async Task A_failed_create_keeps_libvirts_error()
    {
        await OnHostAsync();
        model.Name = "web1";
        await model.GoToAsync(WizardStep.Review);
        provisioning.Failure = new HypervisorException("Creating web1 failed while defining the domain.", "XML error: bad thing");

        Assert.Null(await model.CreateAsync());

        Assert.Equal("XML error: bad thing", model.Failure?.LibvirtMessage);
        Assert.False(model.Busy);
    }

    [Fact]
    public void Host_resources_count_what_running_vms_take()
    {
        var host = Host();
        var vm = new VmInfo(host.Id, Guid.NewGuid(), "a", VmState.Running, 2, 4UL << 30, null, null, true);
        var off = vm with { Uuid = Guid.NewGuid(), Name = "b", State = VmState.ShutOff };
        var snapshot = InventorySnapshot.Empty.Apply([new HostChanged(host), new VmChanged(vm), new VmChanged(off)]);

        var resources = CreateVmViewModel.ResourcesOf(snapshot, host.Id)!;

        Assert.Equal(8, resources.Cpus);
        Assert.Equal(2, resources.AllocatedVCpus);
        Assert.Equal(12UL << 30, resources.FreeMemoryBytes);
    }

    [Theory]
    [InlineData("debian.iso", "iso", true)]
    [InlineData("DEBIAN.ISO", "raw", true)] // a pool that does not probe: the name says it
    [InlineData("installer", "iso", true)]
    [InlineData("disk.qcow2", "qcow2", false)]
    [InlineData("data.img", null, false)]
    public void Only_iso_images_are_offered_as_install_media(string name, string? format, bool offered)
    {
        var volume = new KvmPortal.Hypervisor.Storage.StorageVolumeSummary(Guid.NewGuid(), "default", name, "/p/" + name, format, 1, 1);
        Assert.Equal(offered, HostStorageCatalog.IsIso(volume));
    }
}
