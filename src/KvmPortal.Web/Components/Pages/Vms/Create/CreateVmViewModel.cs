using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Networks;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Web.Jobs;
using KvmPortal.Web.Vms.OsVariants;

namespace KvmPortal.Web.Components.Pages.Vms.Create;

public enum WizardStep { Basics, Install, Hardware, Disks, Network, Options, Review }

public enum InstallKind { None, Iso, Kernel, Pxe, Import, LinkedClone }

/// <summary>One disk row of the wizard; sizes in GiB.</summary>
public sealed class DiskDraft
{
    public DiskDevice Device { get; set; } = DiskDevice.Disk;
    public bool IsNew { get; set; } = true;
    public string Pool { get; set; } = "";
    public string VolumeName { get; set; } = "";
    public double SizeGiB { get; set; } = 10;
    public VolumeFormat Format { get; set; } = VolumeFormat.Qcow2;
    public Preallocation Preallocation { get; set; } = Preallocation.Off;
    public string ExistingVolume { get; set; } = "";
    public DiskBus Bus { get; set; } = DiskBus.Virtio;
    public DiskCache Cache { get; set; } = DiskCache.Default;
    public bool ReadOnly { get; set; }
    public bool Shareable { get; set; }
}

/// <summary>One NIC row of the wizard; an empty MAC means a random one.</summary>
public sealed class NicDraft
{
    public NicSourceKind Kind { get; set; } = NicSourceKind.Network;
    public string Source { get; set; } = "default";
    public NicModel Model { get; set; } = NicModel.Virtio;
    public string Mac { get; set; } = "";
}

/// <summary>What a host offers for placement: CPUs and memory, and what running VMs already take.</summary>
public sealed record HostResources(int Cpus, int AllocatedVCpus, ulong MemoryBytes, ulong AllocatedMemoryBytes, bool KvmAvailable)
{
    public ulong FreeMemoryBytes => MemoryBytes > AllocatedMemoryBytes ? MemoryBytes - AllocatedMemoryBytes : 0;
}

/// <summary>
/// The new-VM wizard's state and step logic, without rendering: the fields of every step, the
/// <see cref="DomainSpec"/> they make, the problems per step (from <see cref="IVmProvisioning.ValidateAsync"/>),
/// the review's preview and the creation itself.
/// </summary>
public sealed class CreateVmViewModel(IVmProvisioning provisioning, IStorageQueries storage, INetworkOperations networks)
{
    public const ulong MiB = 1UL << 20;
    public const ulong GiB = 1UL << 30;

    public static IReadOnlyList<WizardStep> Steps { get; } = Enum.GetValues<WizardStep>();

    public WizardStep Step { get; private set; } = WizardStep.Basics;

    // Basics
    public Guid? HostId { get; private set; }
    public string Name { get; set; } = "";
    public string Title { get; set; } = "";
    public string Description { get; set; } = "";
    public OsVariant OsVariant { get; private set; } = OsVariant.Generic;

    // Install source
    public InstallKind Install { get; set; } = InstallKind.None;
    public string IsoPool { get; set; } = "";
    public string IsoVolume { get; set; } = "";
    public string KernelPath { get; set; } = "";
    public string InitrdPath { get; set; } = "";
    public string KernelArgs { get; set; } = "";
    public string ImportPool { get; set; } = "";
    public string ImportVolume { get; set; } = "";
    public string TemplatePool { get; set; } = "";
    public string TemplateVolume { get; set; } = "";
    public string ClonePool { get; set; } = "";
    public string CloneVolumeName { get; set; } = "";

    // Hardware
    public bool UseKvm { get; set; } = true;
    public int VCpus { get; set; } = 1;
    public int? MaxVCpus { get; set; }
    public bool SetTopology { get; set; }
    public int Sockets { get; set; } = 1;
    public int Cores { get; set; } = 1;
    public int Threads { get; set; } = 1;
    public CpuMode CpuMode { get; set; } = CpuMode.HostPassthrough;
    public string CpuModel { get; set; } = "qemu64";
    public int MemoryMiB { get; set; } = 1024;
    public int? MaxMemoryMiB { get; set; }
    public FirmwareKind Firmware { get; set; } = FirmwareKind.Bios;
    public string Machine { get; set; } = "";

    // Disks and NICs
    public List<DiskDraft> Disks { get; } = [];
    public List<NicDraft> Nics { get; } = [new()];

    // Options
    public bool Vnc { get; set; } = true;
    public string VncListen { get; set; } = "127.0.0.1";
    public bool SerialConsole { get; set; } = true;
    /// <summary>Boot devices in order; empty lets the install source decide.</summary>
    public List<BootDevice> BootOrder { get; } = [];
    public bool BootMenu { get; set; }
    public LifecycleAction OnPoweroff { get; set; } = LifecycleAction.Destroy;
    public LifecycleAction OnReboot { get; set; } = LifecycleAction.Restart;
    public LifecycleAction OnCrash { get; set; } = LifecycleAction.Destroy;
    public ClockOffset Clock { get; set; } = ClockOffset.Utc;
    public bool Autostart { get; set; }
    public bool StartAfterCreate { get; set; } = true;

    /// <summary>The chosen host's networks and bridges for the NIC pickers.</summary>
    public NicSourceOptions NicSources { get; } = new(networks);

    /// <summary>The chosen host's pools and volumes for the volume pickers.</summary>
    public HostStorageCatalog Storage { get; } = new(storage);

    public IReadOnlyList<StoragePoolSummary> Pools => Storage.Pools;

    /// <summary>The last validation's problems (service rules plus the wizard's own).</summary>
    public IReadOnlyList<SpecProblem> Problems { get; private set; } = [];

    public ProvisioningPlan? Plan { get; private set; }

    /// <summary>The last failure talking to the host (listing storage, previewing, creating); the page words it.</summary>
    public HypervisorException? Failure { get; private set; }

    public bool Busy { get; private set; }

    /// <summary>The step a problem's field belongs to, e.g. "Disks[0].SizeBytes" to <see cref="WizardStep.Disks"/>.</summary>
    public static WizardStep StepOf(string field)
    {
        var root = field.Split('.', '[')[0];
        return root switch
        {
            "HostId" or "Name" or "Title" or "Description" or "OsVariantId" => WizardStep.Basics,
            "Install" => WizardStep.Install,
            "Kind" or "Arch" or "Machine" or "Firmware" or "VCpus" or "MaxVCpus" or "Topology" or "CpuMode" or "CpuModel"
                or "MemoryBytes" or "MaxMemoryBytes" => WizardStep.Hardware,
            "Disks" => WizardStep.Disks,
            "Nics" => WizardStep.Network,
            _ => WizardStep.Options,
        };
    }

    public IEnumerable<SpecProblem> ProblemsOn(WizardStep step) => Problems.Where(p => StepOf(p.Field) == step);

    /// <summary>How a problem reads on the page (the page translates); the English text unless set.</summary>
    public Func<SpecProblem, string> ProblemText { get; init; } = problem => problem.Message;

    /// <summary>The messages for one field (exact match or its sub-fields), joined; null when it has none.</summary>
    public string? ErrorFor(string field)
    {
        var messages = Problems
            .Where(p => p.Field == field || p.Field.StartsWith(field + ".", StringComparison.Ordinal) || p.Field.StartsWith(field + "[", StringComparison.Ordinal))
            .Select(ProblemText).Distinct().ToList();
        return messages.Count == 0 ? null : string.Join(" ", messages);
    }

    /// <summary>CPUs and memory of a host and what its running VMs take, from the inventory.</summary>
    public static HostResources? ResourcesOf(InventorySnapshot snapshot, Guid hostId)
    {
        if (!snapshot.Hosts.TryGetValue(hostId, out var host) || host.Capabilities is not { } caps)
            return null;
        var running = snapshot.Vms.Values.Where(v => v.HostId == hostId && v.State is VmState.Running or VmState.Paused).ToList();
        return new HostResources(caps.Cpus, running.Sum(v => v.VCpus), caps.MemoryBytes,
            running.Aggregate(0UL, (sum, v) => sum + v.MemoryBytes), caps.KvmAvailable);
    }

    /// <summary>
    /// Places the VM on a host: KVM when the host has it (else emulation); loads its pools and bridges, and puts
    /// NICs on a network the host does not have onto its default network.
    /// </summary>
    public async Task SelectHostAsync(HostInfo host, InventorySnapshot snapshot, CancellationToken cancellationToken = default)
    {
        HostId = host.Id;
        UseKvm = host.Capabilities?.KvmAvailable ?? false;
        ApplyAccelerator();
        Storage.Clear(host.Id);
        Failure = null;
        NicSources.ShowNetworks(snapshot, host.Id);
        foreach (var nic in Nics.Where(n => n.Kind == NicSourceKind.Network && NicSources.IsUnknownNetwork(n.Source)))
            nic.Source = NicSources.DefaultNetwork;
        if (host.Status != HostStatus.Online)
            return;
        await NicSources.LoadBridgesAsync(host.Id, cancellationToken);
        try
        {
            await Storage.LoadPoolsAsync(host.Id, cancellationToken);
            if (DefaultPool is { } pool)
            {
                IsoPool = ImportPool = TemplatePool = ClonePool = pool.Name;
                foreach (var disk in Disks.Where(d => d.Pool.Length == 0))
                    disk.Pool = pool.Name;
            }
        }
        catch (HypervisorException e)
        {
            Failure = e;
        }
    }

    /// <summary>The pool new volumes go to at first: "default" when it runs, else the first running one.</summary>
    public StoragePoolSummary? DefaultPool => Storage.DefaultPool;

    /// <summary>The volumes of a pool of the chosen host, read once per pool.</summary>
    public async Task<IReadOnlyList<StorageVolumeSummary>> VolumesAsync(string pool, CancellationToken cancellationToken = default)
    {
        try
        {
            return await Storage.VolumesAsync(pool, cancellationToken);
        }
        catch (HypervisorException e)
        {
            Failure = e;
            return [];
        }
    }

    /// <summary>Switching KVM/emulation keeps the CPU mode valid: passthrough needs KVM.</summary>
    public void SetAccelerator(bool kvm)
    {
        UseKvm = kvm;
        ApplyAccelerator();
    }

    private void ApplyAccelerator()
    {
        if (UseKvm && CpuMode == CpuMode.Custom && CpuModel == "qemu64")
            CpuMode = CpuMode.HostPassthrough;
        else if (!UseKvm && CpuMode == CpuMode.HostPassthrough)
        {
            // host-model needs the host's CPU under TCG too; a named model works everywhere.
            CpuMode = CpuMode.Custom;
            CpuModel = "qemu64";
        }
    }

    /// <summary>Takes an OS variant and fills in what it recommends: memory, vCPUs, disk size, virtio or not.</summary>
    public void SelectOsVariant(OsVariant variant)
    {
        OsVariant = variant;
        var memory = variant.RecommendedRamBytes ?? variant.MinimumRamBytes ?? GiB;
        MemoryMiB = (int)Math.Clamp(memory / MiB, 16, int.MaxValue);
        if (MaxMemoryMiB < MemoryMiB) MaxMemoryMiB = null;
        VCpus = Math.Max(1, variant.RecommendedCpus ?? 1);
        if (MaxVCpus < VCpus) MaxVCpus = null;
        var diskBus = variant.SupportsVirtio ? DiskBus.Virtio : DiskBus.Sata;
        foreach (var disk in Disks.Where(d => d.Device == DiskDevice.Disk))
        {
            disk.Bus = diskBus;
            if (disk.IsNew && variant.RecommendedStorageBytes is { } size)
                disk.SizeGiB = Math.Round((double)size / GiB, 1);
        }
        foreach (var nic in Nics)
            nic.Model = variant.SupportsVirtio ? NicModel.Virtio : NicModel.E1000;
    }

    public DiskDraft AddDisk()
    {
        var disk = new DiskDraft
        {
            Pool = DefaultPool?.Name ?? "",
            Bus = OsVariant.SupportsVirtio ? DiskBus.Virtio : DiskBus.Sata,
            SizeGiB = OsVariant.RecommendedStorageBytes is { } size ? Math.Round((double)size / GiB, 1) : 10,
        };
        var taken = Disks.Select(d => d.VolumeName).ToHashSet();
        var index = Disks.Count;
        do disk.VolumeName = $"{(Name.Length > 0 ? Name : "disk")}{(index == 0 ? "" : "-" + index)}.qcow2";
        while (!taken.Add(disk.VolumeName) && ++index > 0);
        Disks.Add(disk);
        return disk;
    }

    /// <summary>Keeps the NIC pickers' network states live.</summary>
    public void RefreshNetworks(InventorySnapshot snapshot)
    {
        if (HostId is { } hostId)
            NicSources.ShowNetworks(snapshot, hostId);
    }

    /// <summary>Switches a NIC between network and bridge, starting it on the host's default of that kind.</summary>
    public void SetNicKind(NicDraft nic, NicSourceKind kind)
    {
        if (nic.Kind == kind)
            return;
        nic.Kind = kind;
        nic.Source = NicSources.InitialSource(kind);
    }

    public NicDraft AddNic()
    {
        var nic = new NicDraft
        {
            Model = OsVariant.SupportsVirtio ? NicModel.Virtio : NicModel.E1000,
            Source = HostId is null ? NicSourceOptions.DefaultNetworkName : NicSources.DefaultNetwork,
        };
        Nics.Add(nic);
        return nic;
    }

    /// <summary>The spec the fields make. Call only with a host chosen (<see cref="HostId"/>).</summary>
    public DomainSpec BuildSpec() => new()
    {
        HostId = HostId ?? Guid.Empty,
        Name = Name,
        Title = Blank(Title),
        Description = Blank(Description),
        OsVariantId = OsVariant.IsGeneric ? null : OsVariant.Id,
        Kind = UseKvm ? DomainKind.Kvm : DomainKind.Qemu,
        Machine = Blank(Machine),
        Firmware = Firmware,
        VCpus = VCpus,
        MaxVCpus = MaxVCpus,
        Topology = SetTopology ? new CpuTopology(Sockets, Cores, Threads) : null,
        CpuMode = CpuMode,
        CpuModel = CpuMode == CpuMode.Custom ? Blank(CpuModel) : null,
        MemoryBytes = (ulong)Math.Max(0, MemoryMiB) * MiB,
        MaxMemoryBytes = MaxMemoryMiB is { } max ? (ulong)Math.Max(0, max) * MiB : null,
        Install = BuildInstall(),
        Disks = Disks.Select(BuildDisk).ToList(),
        Nics = Nics.Select(n => new NicSpec(n.Kind, n.Source.Trim(), n.Model, Blank(n.Mac))).ToList(),
        Vnc = Vnc ? new VncSpec(VncListen.Trim()) : null,
        SerialConsole = SerialConsole,
        BootOrder = BootOrder.ToList(),
        BootMenu = BootMenu,
        OnPoweroff = OnPoweroff,
        OnReboot = OnReboot,
        OnCrash = OnCrash,
        Clock = Clock,
        Autostart = Autostart,
        StartAfterCreate = StartAfterCreate,
    };

    private InstallSource BuildInstall() => Install switch
    {
        InstallKind.Iso => new CdromInstallSource(new VolumeRef(IsoPool, IsoVolume)),
        InstallKind.Kernel => new KernelBootSource(KernelPath.Trim(), Blank(InitrdPath), Blank(KernelArgs)),
        InstallKind.Pxe => new PxeInstallSource(),
        InstallKind.Import => new ImportDiskSource(new VolumeRef(ImportPool, ImportVolume), OsVariant.SupportsVirtio ? DiskBus.Virtio : DiskBus.Sata),
        InstallKind.LinkedClone => new LinkedCloneSource(new VolumeRef(TemplatePool, TemplateVolume), ClonePool,
            CloneVolumeName.Length > 0 ? CloneVolumeName : $"{Name}.qcow2", null, OsVariant.SupportsVirtio ? DiskBus.Virtio : DiskBus.Sata),
        _ => new NoInstallSource(),
    };

    private static DiskSpec BuildDisk(DiskDraft d) => new()
    {
        Device = d.Device,
        Bus = d.Bus,
        Cache = d.Cache,
        ReadOnly = d.ReadOnly || d.Device == DiskDevice.Cdrom,
        Shareable = d.Shareable,
        NewVolume = d.IsNew && d.Device == DiskDevice.Disk
            ? new NewVolumeSpec(d.Pool, d.VolumeName.Trim(), (ulong)Math.Max(0, Math.Round(d.SizeGiB * GiB)), d.Format, d.Preallocation)
            : null,
        ExistingVolume = (!d.IsNew || d.Device == DiskDevice.Cdrom) && d.ExistingVolume.Length > 0 ? new VolumeRef(d.Pool, d.ExistingVolume) : null,
    };

    /// <summary>The wizard's own checks, before the service's: a host must be chosen.</summary>
    private IEnumerable<SpecProblem> OwnProblems()
    {
        if (HostId is null)
            yield return SpecProblem.Of("HostId", "HostRequired", "Choose the host to create the VM on.");
    }

    /// <summary>Validates the whole spec with the service; returns whether it has no problems.</summary>
    public async Task<bool> ValidateAsync(CancellationToken cancellationToken = default)
    {
        var own = OwnProblems().ToList();
        Problems = own.Count > 0 ? own : await provisioning.ValidateAsync(BuildSpec(), cancellationToken);
        return Problems.Count == 0;
    }

    /// <summary>
    /// Goes to the next step when this and the earlier steps have no problems (later steps are checked when
    /// reached). Entering Review previews the XML and volumes. Returns whether the step changed.
    /// </summary>
    public async Task<bool> NextAsync(CancellationToken cancellationToken = default)
    {
        if (Step == WizardStep.Review)
            return false;
        return await GoToAsync(Step + 1, cancellationToken);
    }

    public void Back()
    {
        if (Step > WizardStep.Basics)
            Step--;
        Plan = null;
    }

    /// <summary>Jumps to a step: backwards always, forwards only past steps without problems.</summary>
    public async Task<bool> GoToAsync(WizardStep target, CancellationToken cancellationToken = default)
    {
        if (target <= Step)
        {
            Step = target;
            Plan = null;
            return true;
        }
        return await RunAsync(async () =>
        {
            await ValidateAsync(cancellationToken);
            var blocking = Problems.Select(p => StepOf(p.Field)).Where(s => s < target).DefaultIfEmpty(target).Min();
            if (blocking < target)
            {
                Step = blocking;
                return false;
            }
            if (target == WizardStep.Review)
            {
                if (Problems.Count > 0)
                {
                    Step = Problems.Min(p => StepOf(p.Field));
                    return false;
                }
                Plan = await provisioning.PreviewAsync(BuildSpec(), cancellationToken);
            }
            Step = target;
            return true;
        });
    }

    /// <summary>Creates the VM; returns its key, or null when it has problems or the host refused (see <see cref="Failure"/>).</summary>
    public Task<VmKey?> CreateAsync(CancellationToken cancellationToken = default) => RunAsync<VmKey?>(async () =>
    {
        if (!await ValidateAsync(cancellationToken))
        {
            Step = Problems.Min(p => StepOf(p.Field));
            return null;
        }
        return await provisioning.CreateAsync(BuildSpec(), cancellationToken);
    });

    /// <summary>
    /// Validates, then starts the creation as a job (making new volumes can take long); the job, or null when the spec
    /// has problems or the start was refused (see <see cref="Failure"/>).
    /// </summary>
    public Task<JobView?> StartAsync(Func<DomainSpec, Task<JobHandle>> start, CancellationToken cancellationToken = default) => RunAsync<JobView?>(async () =>
    {
        if (!await ValidateAsync(cancellationToken))
        {
            Step = Problems.Min(p => StepOf(p.Field));
            return null;
        }
        return (await start(BuildSpec())).Started;
    });

    private async Task<T> RunAsync<T>(Func<Task<T>> action)
    {
        Busy = true;
        Failure = null;
        try
        {
            return await action();
        }
        catch (HypervisorException e)
        {
            Failure = e;
            return default!;
        }
        catch (Access.AccessDeniedException e)
        {
            Failure = new HypervisorException(e.Message);
            return default!;
        }
        finally
        {
            Busy = false;
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
