using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Vms.Create;

internal sealed class VmProvisioner(HostManager hosts, IInventory inventory) : IVmProvisioning
{
    public async Task<IReadOnlyList<SpecProblem>> ValidateAsync(DomainSpec spec, CancellationToken cancellationToken = default)
    {
        var problems = DomainSpecValidator.Validate(spec, NamesOnHost(spec.HostId)).ToList();
        if (problems.Count > 0 || hosts.Find(spec.HostId) is not { } session) return problems;
        try
        {
            problems.AddRange(await session.CallAsync(connection => CheckOnHost(connection, spec), cancellationToken));
        }
        catch (Exception e) when (e is HypervisorException or LibvirtException or ObjectDisposedException)
        {
            // The host is offline: the checks that need it run again when the VM is created.
        }
        return problems;
    }

    public async Task<ProvisioningPlan> PreviewAsync(DomainSpec spec, CancellationToken cancellationToken = default)
    {
        ThrowIfInvalid(spec, DomainSpecValidator.Validate(spec, NamesOnHost(spec.HostId)));
        var session = HostCalls.Session(hosts, spec.HostId);
        return await HostCalls.CallAsync(session, new HostCall("vm.preview", $"Preview {spec.Name}", spec.Name), connection =>
        {
            var resolved = Resolve(connection, spec);
            var volumes = resolved.NewVolumes.Select(v => new PlannedVolume(v.Spec.Pool, v.Spec.Name, v.CapacityBytes, v.Spec.Format,
                v.Spec.Preallocation, v.Spec.BackingVolume, v.Xml)).ToList();
            return new ProvisioningPlan(DomainXmlBuilder.Build(spec, resolved.FormatOf).ToString(), volumes);
        }, cancellationToken);
    }

    public async Task<VmKey> CreateAsync(DomainSpec spec, CancellationToken cancellationToken = default)
    {
        ThrowIfInvalid(spec, DomainSpecValidator.Validate(spec, NamesOnHost(spec.HostId)));
        var session = HostCalls.Session(hosts, spec.HostId);
        var uuid = await HostCalls.CallAsync(session, new HostCall("vm.create", $"Create {spec.Name}", spec.Name), connection =>
        {
            ThrowIfInvalid(spec, CheckOnHost(connection, spec));
            return Create(connection, spec, session.Host.Name);
        }, cancellationToken);
        session.RequestRefresh(uuid);
        return new VmKey(spec.HostId, uuid);
    }

    private static Guid Create(Connection connection, DomainSpec spec, string hostName)
    {
        var created = new List<StorageVolume>();
        Domain? domain = null;
        var step = "checking the storage";
        try
        {
            var resolved = Resolve(connection, spec);
            foreach (var volume in resolved.NewVolumes)
            {
                step = $"creating volume {volume.Spec.Name} in pool {volume.Spec.Pool}";
                using var pool = connection.LookupStoragePoolByName(volume.Spec.Pool);
                created.Add(pool.CreateVolume(volume.Xml, VolumeXmlBuilder.CreateFlags(volume.Spec)));
            }
            step = "defining the VM";
            domain = connection.DefineDomain(DomainXmlBuilder.Build(spec, resolved.FormatOf).ToString(), DefineDomainFlags.Validate);
            if (spec.Autostart)
            {
                step = "enabling autostart";
                domain.SetAutostart(true);
            }
            if (spec.StartAfterCreate)
            {
                step = "starting the VM";
                domain.Create();
            }
            var uuid = domain.Uuid;
            domain.Dispose();
            foreach (var volume in created) volume.Dispose();
            return uuid;
        }
        catch (LibvirtException e)
        {
            var leftovers = RollBack(domain, created);
            throw CreateFailed($"Creating {spec.Name} on host {hostName} failed while {step}. " + Describe(leftovers), e.Message, e, spec.Name, hostName, leftovers);
        }
        catch (Exception e) when (e is HypervisorException or FormatException or System.Xml.XmlException)
        {
            var leftovers = RollBack(domain, created);
            throw CreateFailed($"Creating {spec.Name} failed while {step}: {e.Message} " + Describe(leftovers),
                (e as HypervisorException)?.LibvirtMessage, e, spec.Name, hostName, leftovers);
        }
    }

    /// <summary>Removes what a failed create made; returns what could not be removed.</summary>
    private static List<string> RollBack(Domain? domain, List<StorageVolume> created)
    {
        var leftovers = new List<string>();
        if (domain is not null)
        {
            try
            {
                if (domain.IsActive) domain.Destroy();
                domain.Undefine(UndefineFlags.ManagedSave | UndefineFlags.SnapshotsMetadata | UndefineFlags.Nvram);
            }
            catch (LibvirtException e) when (e.ErrorCode != ErrorCode.NoDomain)
            {
                leftovers.Add($"the VM definition ({e.Message})");
            }
            catch (LibvirtException)
            {
            }
            domain.Dispose();
        }
        foreach (var volume in Enumerable.Reverse(created))
        {
            try
            {
                volume.Delete();
            }
            catch (LibvirtException e)
            {
                leftovers.Add($"volume {volume.Name} ({e.Message})");
            }
            volume.Dispose();
        }
        return leftovers;
    }

    private static HypervisorException CreateFailed(string message, string? detail, Exception inner, string name, string hostName, List<string> leftovers) =>
        new(message, detail, inner)
        {
            Kind = leftovers.Count == 0 ? HypervisorErrorKind.CreateFailed : HypervisorErrorKind.CreateFailedLeftovers,
            Arguments = leftovers.Count == 0 ? [name, hostName] : [name, hostName, string.Join("; ", leftovers)],
        };

    private static string Describe(List<string> leftovers) => leftovers.Count == 0
        ? "Nothing was left behind."
        : "These could not be removed and need cleaning up: " + string.Join("; ", leftovers) + ".";

    /// <summary>Checks the spec's pools and volumes against the host: existing ones exist, new ones do not.</summary>
    internal static List<SpecProblem> CheckOnHost(Connection connection, DomainSpec spec)
    {
        var problems = new List<SpecProblem>();
        var pools = new Dictionary<string, StoragePool?>(StringComparer.Ordinal);
        try
        {
            StoragePool? Pool(string name, string field)
            {
                if (!pools.TryGetValue(name, out var pool))
                {
                    try
                    {
                        pool = connection.LookupStoragePoolByName(name);
                        if (!pool.IsActive)
                        {
                            problems.Add(SpecProblem.Of(field, "PoolNotActive", $"Storage pool {name} is not active.", name));
                            pool.Dispose();
                            pool = null;
                        }
                    }
                    catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoStoragePool)
                    {
                        problems.Add(SpecProblem.Of(field, "PoolMissing", $"There is no storage pool {name} on this host.", name));
                        pool = null;
                    }
                    pools[name] = pool;
                }
                return pool;
            }

            bool VolumeExists(StoragePool pool, string name)
            {
                try
                {
                    using var volume = pool.LookupVolumeByName(name);
                    return true;
                }
                catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoStorageVol)
                {
                    return false;
                }
            }

            foreach (var (disk, field) in EffectiveDisks.Of(spec))
            {
                if (disk.NewVolume is { } created && Pool(created.Pool, $"{field}.Pool") is { } newPool)
                {
                    if (VolumeExists(newPool, created.Name))
                        problems.Add(SpecProblem.Of($"{field}.Name", "VolumeTaken", $"Pool {created.Pool} already has a volume {created.Name}.", created.Name, created.Pool));
                    if (created.BackingVolume is { } template && Pool(template.Pool, $"{field}.Template") is { } templatePool
                        && !VolumeExists(templatePool, template.Name))
                        problems.Add(SpecProblem.Of($"{field}.Template", "VolumeMissing", $"Pool {template.Pool} has no volume {template.Name}.", template.Name, template.Pool));
                }
                if (disk.ExistingVolume is { } existing && Pool(existing.Pool, $"{field}.Pool") is { } existingPool
                    && !VolumeExists(existingPool, existing.Name))
                    problems.Add(SpecProblem.Of($"{field}.Name", "VolumeMissing", $"Pool {existing.Pool} has no volume {existing.Name}.", existing.Name, existing.Pool));
            }
        }
        finally
        {
            foreach (var pool in pools.Values) pool?.Dispose();
        }
        return problems;
    }

    private sealed record ResolvedVolume(NewVolumeSpec Spec, ulong CapacityBytes, string Xml);

    private sealed record Resolution(IReadOnlyList<ResolvedVolume> NewVolumes, Func<string, string?> FormatOf);

    /// <summary>Reads from the host what the XML needs: existing volumes' formats and linked-clone templates' paths.</summary>
    private static Resolution Resolve(Connection connection, DomainSpec spec)
    {
        var formats = new Dictionary<string, string?>(StringComparer.Ordinal);
        var volumes = new List<ResolvedVolume>();
        foreach (var (disk, _) in EffectiveDisks.Of(spec))
        {
            if (disk.ExistingVolume is { } existing)
            {
                using var pool = connection.LookupStoragePoolByName(existing.Pool);
                using var volume = pool.LookupVolumeByName(existing.Name);
                formats[$"{existing.Pool}/{existing.Name}"] = DriverFormat(StorageQueries.FormatOf(volume));
            }
            if (disk.ExistingPath is { } path)
            {
                try
                {
                    using var volume = connection.LookupStorageVolumeByPath(path);
                    formats[path] = DriverFormat(StorageQueries.FormatOf(volume));
                }
                catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoStorageVol)
                {
                    formats[path] = null; // not in a pool: libvirt's default (raw)
                }
            }
            if (disk.NewVolume is { } created)
            {
                var capacity = created.SizeBytes;
                string? backingPath = null, backingFormat = null;
                if (created.BackingVolume is { } template)
                {
                    using var pool = connection.LookupStoragePoolByName(template.Pool);
                    using var volume = pool.LookupVolumeByName(template.Name);
                    backingPath = volume.GetPath();
                    backingFormat = DriverFormat(StorageQueries.FormatOf(volume)) ?? "raw";
                    if (capacity == 0) capacity = volume.GetInfo().CapacityBytes;
                }
                volumes.Add(new ResolvedVolume(created, capacity, VolumeXmlBuilder.Build(created, capacity, backingPath, backingFormat)));
            }
        }
        return new Resolution(volumes, key => formats.GetValueOrDefault(key));
    }

    /// <summary>A volume format as a disk driver type: an ISO is read raw.</summary>
    private static string? DriverFormat(string? format) => format switch
    {
        null => null,
        "iso" => "raw",
        _ => format,
    };

    private IReadOnlyCollection<string> NamesOnHost(Guid hostId) =>
        inventory.Current.Vms.Values.Where(vm => vm.HostId == hostId).Select(vm => vm.Name).ToHashSet(StringComparer.Ordinal);

    private static void ThrowIfInvalid(DomainSpec spec, IReadOnlyList<SpecProblem> problems)
    {
        if (problems.Count > 0)
        {
            throw HypervisorException.Invalid(problems, $"{spec.Name} cannot be created: ");
        }
    }
}
