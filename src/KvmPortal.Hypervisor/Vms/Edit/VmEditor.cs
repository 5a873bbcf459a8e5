using System.Security.Cryptography;
using System.Xml;
using System.Xml.Linq;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Vms.Edit;

internal sealed class VmEditor(HostManager hosts, IInventory inventory) : IVmEditing
{
    public Task SetVcpusAsync(VmKey vm, int count, ChangeScope scope, CancellationToken cancellationToken = default) =>
        RunAsync(vm, "Set the vCPUs of", (_, domain, name) =>
        {
            CheckScope(domain, scope, name);
            foreach (var part in Parts(scope))
            {
                var max = domain.GetVcpusCount(VcpuFlags(part) | DomainVcpuFlags.Maximum);
                if (count < 1 || count > max)
                    throw HypervisorException.Because(part == ChangeScope.Live ? HypervisorErrorKind.VcpusOutOfRangeWhileRunning : HypervisorErrorKind.VcpusOutOfRange,
                        $"{name} can have between 1 and {max} vCPUs{(part == ChangeScope.Live ? " while running" : "")}.", name, SpecProblem.Number(max));
            }
            domain.SetVcpus((uint)count, VcpuFlags(scope));
        }, cancellationToken);

    public Task SetMemoryAsync(VmKey vm, ulong bytes, ChangeScope scope, CancellationToken cancellationToken = default) =>
        RunAsync(vm, "Set the memory of", (_, domain, name) =>
        {
            CheckScope(domain, scope, name);
            if (bytes < DomainSpecValidator.MinMemoryBytes)
            {
                var min = SpecProblem.Size(DomainSpecValidator.MinMemoryBytes);
                throw HypervisorException.Invalid([SpecProblem.Of("MemoryBytes", "MemoryTooSmall", $"The memory must be at least {min}.", min)]);
            }
            var kib = (bytes + 1023) / 1024;
            var maxKiB = scope.HasFlag(ChangeScope.Config) ? MaxMemoryKiB(domain, inactive: true) : domain.GetMaxMemory();
            if (scope.HasFlag(ChangeScope.Live)) maxKiB = Math.Min(maxKiB, domain.GetMaxMemory());
            if (kib > maxKiB)
                throw HypervisorException.Because(HypervisorErrorKind.MemoryAboveMaximum,
                    $"{name} can have at most {maxKiB / 1024} MiB (its maximum memory); raise the maximum first.", name, $"{SpecProblem.Number((long)(maxKiB / 1024))} MiB");
            domain.SetMemory(kib, (DomainMemoryFlags)(uint)scope);
        }, cancellationToken);

    public Task<string> AttachDiskAsync(VmKey vm, DiskSpec disk, ChangeScope scope, CancellationToken cancellationToken = default) =>
        RunAsync(vm, "Attach a disk to", (connection, domain, name) =>
        {
            CheckScope(domain, scope, name);
            var problems = DomainSpecValidator.Validate(new DomainSpec
            {
                HostId = vm.HostId, Name = "check", MemoryBytes = DomainSpecValidator.MinMemoryBytes, Disks = [disk],
                CpuMode = CpuMode.HostModel,
            }, []);
            if (problems.Count > 0) throw HypervisorException.Invalid(problems);

            var used = Disks(domain, inactive: false).Concat(domain.IsPersistent ? Disks(domain, inactive: true) : [])
                .Select(d => (string?)d.Element("target")?.Attribute("dev")).OfType<string>().ToHashSet();
            var target = DeviceXml.NextTarget(disk.Bus, used);

            StorageVolume? created = null;
            string? format = "raw";
            if (disk.NewVolume is { } spec)
            {
                using var pool = connection.LookupStoragePoolByName(spec.Pool);
                created = pool.CreateVolume(VolumeXmlBuilder.Build(spec, spec.SizeBytes), VolumeXmlBuilder.CreateFlags(spec));
                format = VolumeXmlBuilder.FormatName(spec.Format);
            }
            else if (disk.ExistingVolume is { } existing)
            {
                using var pool = connection.LookupStoragePoolByName(existing.Pool);
                using var volume = pool.LookupVolumeByName(existing.Name);
                format = StorageQueries.FormatOf(volume) is "iso" or null ? "raw" : StorageQueries.FormatOf(volume);
            }
            else if (disk.ExistingPath is not null)
            {
                format = null;
            }
            try
            {
                domain.AttachDevice(DeviceXml.Disk(disk, target, format).ToString(), (DomainDeviceModifyFlags)(uint)scope);
            }
            catch (LibvirtException)
            {
                created?.Delete();
                throw;
            }
            finally
            {
                created?.Dispose();
            }
            return target;
        }, cancellationToken);

    public Task DetachDiskAsync(VmKey vm, string target, ChangeScope scope, CancellationToken cancellationToken = default) =>
        RunAsync(vm, $"Detach disk {target} from", (_, domain, name) =>
        {
            CheckScope(domain, scope, name);
            var disk = FindDisk(domain, target, scope, name);
            domain.DetachDevice(disk.ToString(), (DomainDeviceModifyFlags)(uint)scope);
        }, cancellationToken);

    public Task<string> AttachNicAsync(VmKey vm, NicSpec nic, ChangeScope scope, CancellationToken cancellationToken = default) =>
        RunAsync(vm, "Attach a network interface to", (_, domain, name) =>
        {
            CheckScope(domain, scope, name);
            var mac = nic.Mac ?? RandomMac();
            var problems = DomainSpecValidator.Validate(new DomainSpec
            {
                HostId = vm.HostId, Name = "check", MemoryBytes = DomainSpecValidator.MinMemoryBytes, Nics = [nic with { Mac = mac }],
            }, []);
            if (problems.Count > 0) throw HypervisorException.Invalid(problems);
            domain.AttachDevice(DeviceXml.Interface(nic with { Mac = mac }).ToString(), (DomainDeviceModifyFlags)(uint)scope);
            return mac.ToLowerInvariant();
        }, cancellationToken);

    public Task DetachNicAsync(VmKey vm, string mac, ChangeScope scope, CancellationToken cancellationToken = default) =>
        RunAsync(vm, $"Detach the network interface {mac} from", (_, domain, name) =>
        {
            CheckScope(domain, scope, name);
            var inactive = !scope.HasFlag(ChangeScope.Live);
            var nic = Devices(domain, inactive).Elements("interface")
                .FirstOrDefault(i => string.Equals((string?)i.Element("mac")?.Attribute("address"), mac, StringComparison.OrdinalIgnoreCase))
                ?? throw HypervisorException.Because(HypervisorErrorKind.NicNotFound, $"{name} has no network interface with MAC address {mac}.", name, mac);
            domain.DetachDevice(nic.ToString(), (DomainDeviceModifyFlags)(uint)scope);
        }, cancellationToken);

    public Task ChangeMediaAsync(VmKey vm, string target, CdromMedia media, ChangeScope scope, CancellationToken cancellationToken = default) =>
        RunAsync(vm, media.Volume is null && media.Path is null ? $"Eject the media of {target} of" : $"Insert media into {target} of", (_, domain, name) =>
        {
            CheckScope(domain, scope, name);
            var drive = FindDisk(domain, target, scope, name);
            if ((string?)drive.Attribute("device") is not ("cdrom" or "floppy"))
                throw HypervisorException.Because(HypervisorErrorKind.NotACdrom, $"{target} of {name} is not a CD-ROM drive.", name, target);
            if (media.Volume is { } volume)
            {
                if (DomainSpecValidator.CheckName(volume.Pool, "PoolName", "Pool") is { } p) throw HypervisorException.Invalid([p]);
                if (DomainSpecValidator.CheckVolumeName(volume.Name, "Volume") is { } n) throw HypervisorException.Invalid([n]);
            }
            if (media.Path is { } path && (!path.StartsWith('/') || path.Split('/').Contains("..")))
                throw HypervisorException.Invalid([SpecProblem.Of("Path", "MediaPathInvalid", "The media path must be an absolute path on the host.")]);
            domain.UpdateDevice(DeviceXml.WithMedia(drive, media.Volume, media.Path).ToString(), (DomainDeviceModifyFlags)(uint)scope);
        }, cancellationToken);

    public Task SetBootOrderAsync(VmKey vm, IReadOnlyList<BootDevice> order, bool bootMenu, CancellationToken cancellationToken = default) =>
        RunAsync(vm, "Set the boot order of", (connection, domain, name) =>
        {
            if (order.Count == 0 || order.Distinct().Count() != order.Count)
                throw HypervisorException.Invalid([SpecProblem.Of("BootOrder", "BootOrderInvalid", "Choose each boot device at most once, and at least one.")]);
            var xml = XElement.Parse(domain.GetXmlDescription(DomainXmlFlags.Inactive | DomainXmlFlags.Secure));
            var os = xml.Element("os") ?? throw HypervisorException.Because(HypervisorErrorKind.NoOsSection, $"{name} has no <os> section to set a boot order in.", name);
            os.Elements("boot").Remove();
            os.Elements("bootmenu").Remove();
            xml.Element("devices")?.Descendants("boot").Remove(); // per-device boot order excludes <os><boot>
            os.Add(order.Select(d => new XElement("boot", new XAttribute("dev", d switch
            {
                BootDevice.Cdrom => "cdrom",
                BootDevice.Network => "network",
                _ => "hd",
            }))));
            os.Add(new XElement("bootmenu", new XAttribute("enable", bootMenu ? "yes" : "no")));
            using var _ = connection.DefineDomain(xml.ToString(), DefineDomainFlags.Validate);
        }, cancellationToken);

    public Task SetAutostartAsync(VmKey vm, bool enabled, CancellationToken cancellationToken = default) =>
        RunAsync(vm, enabled ? "Enable autostart of" : "Disable autostart of", (_, domain, _) => domain.SetAutostart(enabled), cancellationToken);

    public Task SetTitleAndDescriptionAsync(VmKey vm, string? title, string? description, CancellationToken cancellationToken = default) =>
        RunAsync(vm, "Set the title and description of", (_, domain, _) =>
        {
            var problems = DomainSpecValidator.Validate(new DomainSpec
            {
                HostId = vm.HostId, Name = "check", MemoryBytes = DomainSpecValidator.MinMemoryBytes, Title = title, Description = description,
            }, []);
            if (problems.Count > 0) throw HypervisorException.Invalid(problems);
            var scope = domain.IsActive ? DomainModificationImpact.Live : 0;
            if (domain.IsPersistent) scope |= DomainModificationImpact.Config;
            domain.SetMetadata(DomainMetadataType.Title, string.IsNullOrEmpty(title) ? null : title, scope);
            domain.SetMetadata(DomainMetadataType.Description, string.IsNullOrEmpty(description) ? null : description, scope);
        }, cancellationToken);

    public Task RenameAsync(VmKey vm, string newName, CancellationToken cancellationToken = default) =>
        RunAsync(vm, "Rename", (_, domain, name) =>
        {
            if (DomainSpecValidator.CheckName(newName, "NewName", "Name") is { } problem) throw HypervisorException.Invalid([problem]);
            if (domain.IsActive) throw HypervisorException.Because(HypervisorErrorKind.RenameNeedsShutOff, $"{name} can only be renamed when it is shut off.", name);
            if (inventory.Current.Vms.Values.Any(v => v.HostId == vm.HostId && v.Name == newName && v.Uuid != vm.Uuid))
                throw HypervisorException.Invalid([SpecProblem.Of("Name", "VmNameTaken", $"A VM called \"{newName}\" already exists on this host.", newName)]);
            domain.Rename(newName);
        }, cancellationToken);

    public Task<string> GetPersistentXmlAsync(VmKey vm, CancellationToken cancellationToken = default) =>
        RunAsync(vm, "Read the definition of", (_, domain, _) =>
            domain.GetXmlDescription(DomainXmlFlags.Inactive | DomainXmlFlags.Secure), cancellationToken);

    public Task ReplaceXmlAsync(VmKey vm, string xml, CancellationToken cancellationToken = default) =>
        RunAsync(vm, "Save the XML of", (connection, domain, name) =>
        {
            XElement root;
            try
            {
                root = XElement.Parse(xml);
            }
            catch (XmlException e)
            {
                throw new HypervisorException($"The XML is not well-formed: {e.Message}", null, e)
                {
                    Kind = HypervisorErrorKind.XmlMalformed,
                    Arguments = [e.Message],
                };
            }
            if (root.Name != "domain") throw HypervisorException.Because(HypervisorErrorKind.XmlNotDomain, "The XML must be a <domain> element.");
            var uuid = root.Element("uuid");
            if (uuid is null) root.AddFirst(new XElement("uuid", vm.Uuid.ToString("D")));
            else if (!Guid.TryParse(uuid.Value.Trim(), out var given) || given != vm.Uuid)
                throw HypervisorException.Because(HypervisorErrorKind.XmlUuidChanged,
                    $"The XML's <uuid> must stay {vm.Uuid:D}; to make a new VM, clone or create one.", vm.Uuid.ToString("D"));
            try
            {
                using var _ = connection.DefineDomain(root.ToString(), DefineDomainFlags.Validate);
            }
            catch (LibvirtException e)
            {
                throw new HypervisorException($"libvirt did not accept the XML of {name}: {e.Message}", e.Message, e)
                {
                    Kind = HypervisorErrorKind.XmlRejected,
                    Arguments = [name],
                };
            }
        }, cancellationToken);

    public Task<DeletionPlan> DescribeDeletionAsync(VmKey vm, DeleteOptions options, CancellationToken cancellationToken = default) =>
        RunAsync(vm, "Check what deleting removes for", (connection, domain, name) => Plan(connection, domain, name, options), cancellationToken);

    public async Task<DeletionResult> DeleteAsync(VmKey vm, DeleteOptions options, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(vm, "Delete", (connection, domain, name) =>
        {
            var plan = Plan(connection, domain, name, options);
            if (domain.IsActive) domain.Destroy();
            if (domain.IsPersistent)
            {
                var flags = UndefineFlags.ManagedSave
                    | (options.RemoveSnapshotsMetadata ? UndefineFlags.SnapshotsMetadata | UndefineFlags.CheckpointsMetadata : 0)
                    | (plan.NvramPath is null ? 0 : options.RemoveNvram ? UndefineFlags.Nvram : UndefineFlags.KeepNvram);
                domain.Undefine(flags);
            }
            var removed = new List<string>();
            var failed = new List<string>();
            foreach (var path in plan.VolumePaths)
            {
                try
                {
                    using var volume = connection.LookupStorageVolumeByPath(path);
                    volume.Delete();
                    removed.Add(path);
                }
                catch (LibvirtException e)
                {
                    failed.Add($"{path}: {e.Message}");
                }
            }
            return new DeletionResult(removed, failed);
        }, cancellationToken);
        return result;
    }

    public Task ManagedSaveAsync(VmKey vm, CancellationToken cancellationToken = default) =>
        RunAsync(vm, "Save the state of", (_, domain, name) =>
        {
            if (!domain.IsActive) throw HypervisorException.Because(HypervisorErrorKind.NoStateToSave, $"{name} is not running; there is no state to save.", name);
            domain.ManagedSave();
        }, cancellationToken);

    public Task RemoveManagedSaveAsync(VmKey vm, CancellationToken cancellationToken = default) =>
        RunAsync(vm, "Discard the saved state of", (_, domain, _) => domain.ManagedSaveRemove(), cancellationToken);

    public Task StartAsync(VmKey vm, bool paused, CancellationToken cancellationToken = default) =>
        RunAsync(vm, paused ? "Start (paused)" : "Start", (_, domain, _) =>
        {
            Templates.VmTemplateTag.RefuseStart(domain);
            domain.Create(paused ? DomainCreateFlags.StartPaused : DomainCreateFlags.None);
        }, cancellationToken);

    private DeletionPlan Plan(Connection connection, Domain domain, string name, DeleteOptions options)
    {
        var xml = XElement.Parse(domain.GetXmlDescription(domain.IsPersistent ? DomainXmlFlags.Inactive : DomainXmlFlags.None));
        var volumes = new List<string>();
        var kept = new List<KeptDisk>();
        if (options.RemoveStorage)
        {
            var usedElsewhere = SourcesOfOtherDomains(connection, domain.Uuid);
            foreach (var disk in xml.Element("devices")?.Elements("disk") ?? [])
            {
                var target = (string?)disk.Element("target")?.Attribute("dev") ?? "?";
                var source = disk.Element("source");
                if (source is null) continue;
                var described = Describe(source);
                if ((string?)disk.Attribute("device") is "cdrom" or "floppy") kept.Add(new(target, described, "CD-ROM and floppy media are kept."));
                else if (disk.Element("readonly") is not null) kept.Add(new(target, described, "Read-only disks are kept."));
                else if (disk.Element("shareable") is not null) kept.Add(new(target, described, "Shareable disks are kept."));
                else if (VolumePath(connection, source) is not { } path) kept.Add(new(target, described, "Not a volume of a storage pool."));
                else if (usedElsewhere.TryGetValue(path, out var other)) kept.Add(new(target, path, $"Also used by VM {other}."));
                else volumes.Add(path);
            }
        }
        var nvram = (string?)xml.Element("os")?.Element("nvram");
        return new DeletionPlan(name, domain.IsActive, volumes, kept, options.RemoveSnapshotsMetadata,
            options.RemoveNvram && !string.IsNullOrWhiteSpace(nvram) ? nvram.Trim() : null,
            domain.IsPersistent && domain.HasManagedSaveImage());
    }

    /// <summary>The path of a disk source when it is a volume of an active pool; null otherwise.</summary>
    private static string? VolumePath(Connection connection, XElement source)
    {
        try
        {
            if ((string?)source.Attribute("pool") is { } pool && (string?)source.Attribute("volume") is { } name)
            {
                using var storagePool = connection.LookupStoragePoolByName(pool);
                using var volume = storagePool.LookupVolumeByName(name);
                return volume.GetPath();
            }
            if (((string?)source.Attribute("file") ?? (string?)source.Attribute("dev")) is { } path)
            {
                using var volume = connection.LookupStorageVolumeByPath(path);
                return volume.GetPath();
            }
        }
        catch (LibvirtException e) when (e.ErrorCode is ErrorCode.NoStorageVol or ErrorCode.NoStoragePool or ErrorCode.OperationInvalid)
        {
        }
        return null;
    }

    /// <summary>Disk paths used by other domains on the host, with the name of one user.</summary>
    private static Dictionary<string, string> SourcesOfOtherDomains(Connection connection, Guid self)
    {
        var used = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var other in connection.ListAllDomains())
        {
            using (other)
            {
                if (other.Uuid == self) continue;
                XElement xml;
                try
                {
                    xml = XElement.Parse(other.GetXmlDescription(other.IsPersistent ? DomainXmlFlags.Inactive : DomainXmlFlags.None));
                }
                catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoDomain)
                {
                    continue; // undefined while we looked: it uses nothing any more
                }
                foreach (var source in xml.Element("devices")?.Elements("disk").Select(d => d.Element("source")).OfType<XElement>() ?? [])
                {
                    if (VolumePath(connection, source) is { } path) used.TryAdd(path, other.Name);
                }
            }
        }
        return used;
    }

    private static string? Describe(XElement source) =>
        (string?)source.Attribute("pool") is { } pool ? $"{pool}/{(string?)source.Attribute("volume")}"
            : (string?)source.Attribute("file") ?? (string?)source.Attribute("dev") ?? (string?)source.Attribute("name");

    private static XElement FindDisk(Domain domain, string target, ChangeScope scope, string name) =>
        Disks(domain, inactive: !scope.HasFlag(ChangeScope.Live))
            .FirstOrDefault(d => (string?)d.Element("target")?.Attribute("dev") == target)
        ?? throw HypervisorException.Because(HypervisorErrorKind.DiskNotFound, $"{name} has no disk {target}.", name, target);

    private static IEnumerable<XElement> Disks(Domain domain, bool inactive) => Devices(domain, inactive).Elements("disk");

    private static XElement Devices(Domain domain, bool inactive) =>
        XElement.Parse(domain.GetXmlDescription(inactive ? DomainXmlFlags.Inactive : DomainXmlFlags.None)).Element("devices") ?? new XElement("devices");

    private static ulong MaxMemoryKiB(Domain domain, bool inactive)
    {
        var memory = XElement.Parse(domain.GetXmlDescription(inactive ? DomainXmlFlags.Inactive : DomainXmlFlags.None)).Element("memory");
        return memory is null ? domain.GetMaxMemory() : MemoryUnits.ToBytes(ulong.Parse(memory.Value.Trim()), (string?)memory.Attribute("unit")) / 1024;
    }

    private static void CheckScope(Domain domain, ChangeScope scope, string name)
    {
        if ((scope & ChangeScope.Both) == 0)
            throw HypervisorException.Because(HypervisorErrorKind.ScopeMissing, "Choose whether the change applies now, from the next start, or both.");
        if (scope.HasFlag(ChangeScope.Live) && !domain.IsActive)
            throw HypervisorException.Because(HypervisorErrorKind.ScopeLiveNotRunning, $"{name} is not running; the change can only apply from the next start.", name);
        if (scope.HasFlag(ChangeScope.Config) && !domain.IsPersistent)
            throw HypervisorException.Because(HypervisorErrorKind.ScopeConfigTransient,
                $"{name} is transient (it has no persistent definition); the change can only apply now.", name);
    }

    private static IEnumerable<ChangeScope> Parts(ChangeScope scope) =>
        new[] { ChangeScope.Live, ChangeScope.Config }.Where(p => scope.HasFlag(p));

    private static DomainVcpuFlags VcpuFlags(ChangeScope scope) => (DomainVcpuFlags)(uint)scope;

    /// <summary>A random locally administered unicast MAC in QEMU's 52:54:00 range, as libvirt would pick.</summary>
    internal static string RandomMac()
    {
        Span<byte> bytes = stackalloc byte[3];
        RandomNumberGenerator.Fill(bytes);
        return $"52:54:00:{bytes[0]:x2}:{bytes[1]:x2}:{bytes[2]:x2}";
    }

    private async Task<T> RunAsync<T>(VmKey vm, string what, Func<Connection, Domain, string, T> call, CancellationToken cancellationToken)
    {
        var session = HostCalls.Session(hosts, vm.HostId);
        var label = inventory.Current.Vms.TryGetValue(vm, out var info) ? info.Name : $"VM {vm.Uuid}";
        try
        {
            return await HostCalls.CallAsync(session, new HostCall("vm.edit", $"{what} {label}", label), connection =>
            {
                using var domain = connection.LookupDomainByUuid(vm.Uuid);
                return call(connection, domain, domain.Name);
            }, cancellationToken);
        }
        finally
        {
            session.RequestRefresh(vm.Uuid);
        }
    }

    private Task RunAsync(VmKey vm, string what, Action<Connection, Domain, string> call, CancellationToken cancellationToken) =>
        RunAsync<bool>(vm, what, (connection, domain, name) =>
        {
            call(connection, domain, name);
            return true;
        }, cancellationToken);
}
