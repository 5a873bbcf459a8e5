using System.Xml.Linq;
using KvmPortal.Hypervisor.Hosts;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Libvirt;
using Stream = System.IO.Stream;

namespace KvmPortal.Hypervisor.Storage;

internal sealed class StorageOperations(HostManager hosts) : IStorageOperations
{
    /// <summary>
    /// How much of a volume one libvirt download call streams (see <see cref="VolumeRangeReader"/>): at most two
    /// ranges wait in libvirt's client. Smaller ranges cost more calls; <c>bench/run.sh volumes</c> measured these.
    /// </summary>
    internal ulong DownloadRangeBytes { get; init; } = 16UL * 1024 * 1024;

    private static readonly TimeSpan CopyPollInterval = TimeSpan.FromMilliseconds(500);

    public Task<IReadOnlyList<PoolTypeSupport>> GetPoolTypesAsync(Guid hostId, CancellationToken cancellationToken = default) =>
        Call<IReadOnlyList<PoolTypeSupport>>(hostId, "Read the storage pool types", connection =>
        {
            string xml;
            try
            {
                xml = connection.GetStoragePoolCapabilities();
            }
            catch (LibvirtException e) when (e.ErrorCode is ErrorCode.NoSupport)
            {
                return Enum.GetValues<PoolType>()
                    .Select(t => new PoolTypeSupport(t, t == PoolType.Dir, t == PoolType.Dir ? null : $"This libvirt cannot report its pool types ({e.Message})."))
                    .ToList();
            }
            return ParsePoolCapabilities(xml);
        }, cancellationToken);

    internal static IReadOnlyList<PoolTypeSupport> ParsePoolCapabilities(string xml)
    {
        var pools = XElement.Parse(xml).Elements("pool")
            .ToDictionary(p => (string?)p.Attribute("type") ?? "", p => (string?)p.Attribute("supported") == "yes");
        return Enum.GetValues<PoolType>().Select(type =>
        {
            var name = PoolTypes.LibvirtName(type);
            if (!pools.TryGetValue(name, out var supported))
                return new PoolTypeSupport(type, false, $"This host's libvirt does not know the '{name}' pool type.");
            return supported
                ? new PoolTypeSupport(type, true, null)
                : new PoolTypeSupport(type, false, $"This host's libvirt was built without the '{name}' storage backend.");
        }).ToList();
    }

    public Task<IReadOnlyDictionary<string, int>> CountVolumesAsync(Guid hostId, CancellationToken cancellationToken = default) =>
        Call<IReadOnlyDictionary<string, int>>(hostId, "Count volumes", connection =>
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            var pools = connection.ListAllStoragePools(ListAllStoragePoolsFlags.Active);
            try
            {
                foreach (var pool in pools)
                {
                    var volumes = pool.ListAllVolumes();
                    counts[pool.Name] = volumes.Count;
                    foreach (var volume in volumes) volume.Dispose();
                }
            }
            finally
            {
                foreach (var pool in pools) pool.Dispose();
            }
            return counts;
        }, cancellationToken);

    public Task<IReadOnlyList<SpecProblem>> ValidatePoolAsync(Guid hostId, PoolSpec spec, CancellationToken cancellationToken = default) =>
        Call(hostId, "Check the storage pool", connection => PoolSpecValidator.Validate(spec, PoolNames(connection)), cancellationToken);

    public PoolPlan PreviewPool(PoolSpec spec) => new(PoolXmlBuilder.Build(spec), PoolTypes.NeedsBuild(spec));

    public Task DefinePoolAsync(Guid hostId, PoolSpec spec, bool build, bool start, bool autostart, CancellationToken cancellationToken = default) =>
        Call(hostId, $"Define storage pool {spec.Name}", connection =>
        {
            var problems = PoolSpecValidator.Validate(spec, PoolNames(connection));
            if (problems.Count > 0) throw HypervisorException.Invalid(problems);
            using var pool = connection.DefineStoragePool(PoolXmlBuilder.Build(spec), DefineStoragePoolFlags.Validate);
            try
            {
                if (build) pool.Build();
                if (start) pool.Create();
                if (autostart) pool.SetAutostart(true);
            }
            catch (LibvirtException)
            {
                // Keep the definition: the user can fix the storage and build or start it again from the list.
                throw;
            }
            return true;
        }, cancellationToken);

    public Task BuildPoolAsync(Guid hostId, string pool, CancellationToken cancellationToken = default) =>
        OnPool(hostId, pool, $"Build storage pool {pool}", p => p.Build(), cancellationToken);

    public Task StartPoolAsync(Guid hostId, string pool, CancellationToken cancellationToken = default) =>
        OnPool(hostId, pool, $"Start storage pool {pool}", p => p.Create(), cancellationToken);

    public Task StopPoolAsync(Guid hostId, string pool, CancellationToken cancellationToken = default) =>
        OnPool(hostId, pool, $"Stop storage pool {pool}", p => p.Destroy(), cancellationToken);

    public Task RefreshPoolAsync(Guid hostId, string pool, CancellationToken cancellationToken = default) =>
        OnPool(hostId, pool, $"Refresh storage pool {pool}", p => p.Refresh(), cancellationToken);

    public Task SetPoolAutostartAsync(Guid hostId, string pool, bool autostart, CancellationToken cancellationToken = default) =>
        OnPool(hostId, pool, $"Set autostart of storage pool {pool}", p => p.SetAutostart(autostart), cancellationToken);

    public Task DeletePoolAsync(Guid hostId, string pool, bool deleteStorage, CancellationToken cancellationToken = default) =>
        Call(hostId, $"Delete storage pool {pool}", connection =>
        {
            using var storagePool = connection.LookupStoragePoolByName(pool);
            if (deleteStorage)
            {
                if (!storagePool.IsActive) storagePool.Create();
                storagePool.Refresh();
                var volumes = storagePool.ListAllVolumes();
                try
                {
                    var users = DiskUsers.Read(connection);
                    var used = volumes.Select(v => (Name: v.Name, Users: users.Of(v.GetPath(), pool, v.Name))).Where(u => u.Users.Count > 0).ToList();
                    if (used.Count > 0) throw InUse($"Delete storage pool {pool}", used[0].Name, used[0].Users);
                    foreach (var volume in volumes) volume.Delete();
                }
                finally
                {
                    foreach (var volume in volumes) volume.Dispose();
                }
                storagePool.Destroy();
                storagePool.Delete();
            }
            else if (storagePool.IsActive)
            {
                storagePool.Destroy();
            }
            if (storagePool.IsPersistent) storagePool.Undefine();
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<VolumeDetails>> ListVolumesAsync(Guid hostId, string pool, CancellationToken cancellationToken = default) =>
        Call<IReadOnlyList<VolumeDetails>>(hostId, $"List the volumes of pool {pool}", connection =>
        {
            using var storagePool = ActivePool(connection, pool);
            return ReadVolumes(storagePool, DiskUsers.Read(connection));
        }, cancellationToken);

    public Task<IReadOnlyList<VolumeDetails>> ListHostVolumesAsync(Guid hostId, CancellationToken cancellationToken = default) =>
        Call<IReadOnlyList<VolumeDetails>>(hostId, "List the volumes of every pool", connection =>
        {
            var users = DiskUsers.Read(connection); // once for all pools: it reads every domain's XML
            var pools = connection.ListAllStoragePools(ListAllStoragePoolsFlags.Active);
            try
            {
                return pools.OrderBy(p => p.Name, StringComparer.Ordinal).SelectMany(p => ReadVolumes(p, users)).ToList();
            }
            finally
            {
                foreach (var pool in pools) pool.Dispose();
            }
        }, cancellationToken);

    private static List<VolumeDetails> ReadVolumes(StoragePool storagePool, DiskUsers users)
    {
        var pool = storagePool.Name;
        var volumes = storagePool.ListAllVolumes();
        try
        {
            return volumes.Select(v =>
            {
                var info = v.GetInfo();
                var xml = XElement.Parse(v.GetXmlDescription());
                var path = v.GetPath();
                return new VolumeDetails(pool, v.Name, path, FormatOf(xml), info.CapacityBytes, info.AllocationBytes,
                    (string?)xml.Element("backingStore")?.Element("path"), users.Of(path, pool, v.Name));
            }).OrderBy(v => v.Name, StringComparer.Ordinal).ToList();
        }
        finally
        {
            foreach (var volume in volumes) volume.Dispose();
        }
    }

    public Task<IReadOnlyList<SpecProblem>> ValidateVolumeAsync(Guid hostId, VolumeSpec spec, CancellationToken cancellationToken = default) =>
        Call(hostId, "Check the volume", connection => ValidateVolume(connection, spec), cancellationToken);

    public Task CreateVolumeAsync(Guid hostId, VolumeSpec spec, CancellationToken cancellationToken = default) =>
        Call(hostId, $"Create volume {spec.Name}", connection =>
        {
            var problems = ValidateVolume(connection, spec);
            if (problems.Count > 0) throw HypervisorException.Invalid(problems);
            using var pool = ActivePool(connection, spec.Pool);
            string? backingPath = null, backingFormat = null;
            var size = spec.SizeBytes;
            if (spec.BackingVolume is { } backing)
            {
                using var backingPool = ActivePool(connection, backing.Pool);
                using var backingVolume = backingPool.LookupVolumeByName(backing.Name);
                backingPath = backingVolume.GetPath();
                backingFormat = FormatOf(XElement.Parse(backingVolume.GetXmlDescription())) ?? "raw";
                if (size == 0) size = backingVolume.GetInfo().CapacityBytes;
            }
            var newVolume = new NewVolumeSpec(spec.Pool, spec.Name, size, spec.Format, spec.Preallocation, spec.BackingVolume);
            using var created = pool.CreateVolume(VolumeXmlBuilder.Build(newVolume, size, backingPath, backingFormat), VolumeXmlBuilder.CreateFlags(newVolume));
            return true;
        }, cancellationToken);

    public Task ResizeVolumeAsync(Guid hostId, string pool, string name, ulong newCapacityBytes, bool allowShrink, CancellationToken cancellationToken = default) =>
        OnVolume(hostId, pool, name, $"Resize volume {name}", (_, volume) =>
        {
            var current = volume.GetInfo().CapacityBytes;
            if (newCapacityBytes == current) return;
            if (newCapacityBytes < current && !allowShrink)
                throw HypervisorException.Because(HypervisorErrorKind.ShrinkNeedsConfirm,
                    $"Resize volume {name}: shrinking from {current} to {newCapacityBytes} bytes loses the data past the new end; confirm the shrink to do it.",
                    name, SpecProblem.Size(current), SpecProblem.Size(newCapacityBytes));
            volume.Resize(newCapacityBytes, newCapacityBytes < current ? StorageVolumeResizeFlags.Shrink : StorageVolumeResizeFlags.None);
        }, cancellationToken);

    public Task WipeVolumeAsync(Guid hostId, string pool, string name, CancellationToken cancellationToken = default) =>
        OnVolume(hostId, pool, name, $"Wipe volume {name}", (connection, volume) =>
        {
            RefuseInUse(connection, $"Wipe volume {name}", pool, volume);
            volume.Wipe();
        }, cancellationToken);

    public Task DeleteVolumeAsync(Guid hostId, string pool, string name, CancellationToken cancellationToken = default) =>
        OnVolume(hostId, pool, name, $"Delete volume {name}", (connection, volume) =>
        {
            RefuseInUse(connection, $"Delete volume {name}", pool, volume);
            RefuseIfBacking(pool, volume, $"Delete volume {name}");
            volume.Delete();
        }, cancellationToken);

    public Task<VolumeInformation> GetVolumeInfoAsync(Guid hostId, string pool, string name, CancellationToken cancellationToken = default) =>
        Call(hostId, $"Read volume {name}", connection =>
        {
            using var storagePool = ActivePool(connection, pool);
            using var volume = storagePool.LookupVolumeByName(name);
            return ReadInfo(pool, volume);
        }, cancellationToken);

    internal static VolumeInformation ReadInfo(string pool, StorageVolume volume)
    {
        var info = volume.GetInfo();
        var xml = XElement.Parse(volume.GetXmlDescription());
        var physical = (string?)xml.Element("physical") is { } p && ulong.TryParse(p, out var bytes) ? bytes : (ulong?)null;
        var chain = new List<BackingImage>();
        for (var backing = xml.Element("backingStore"); backing?.Element("path") is { } path; backing = backing.Element("backingStore"))
            chain.Add(new BackingImage(path.Value, (string?)backing.Element("format")?.Attribute("type")));
        return new VolumeInformation(pool, volume.Name, volume.GetPath(), FormatOf(xml), info.CapacityBytes, info.AllocationBytes, physical, chain);
    }

    public async Task CopyVolumeAsync(Guid hostId, VolumeCopySpec spec, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var what = $"Copy volume {spec.SourceName} to {spec.TargetPool}/{spec.TargetName}";
        if (VolumeSpecValidator.CheckName(spec.TargetName, "TargetName") is { } problem) throw HypervisorException.Invalid([problem]);
        var total = await Call(hostId, what, connection =>
        {
            using var source = ActivePool(connection, spec.SourcePool);
            using var volume = source.LookupVolumeByName(spec.SourceName);
            using var target = ActivePool(connection, spec.TargetPool);
            if (VolumeExists(target, spec.TargetName)) throw Exists(what, spec.TargetName, spec.TargetPool);
            return volume.GetInfo().AllocationBytes;
        }, cancellationToken);
        progress?.Report(new TransferProgress(0, total));

        var copying = Call(hostId, what, connection =>
        {
            using var source = ActivePool(connection, spec.SourcePool);
            using var volume = source.LookupVolumeByName(spec.SourceName);
            using var target = ActivePool(connection, spec.TargetPool);
            var info = volume.GetInfo();
            var format = spec.Format is { } f ? VolumeXmlBuilder.FormatName(f) : FormatOf(XElement.Parse(volume.GetXmlDescription())) ?? "raw";
            var xml = new XElement("volume", new XElement("name", spec.TargetName),
                new XElement("capacity", new XAttribute("unit", "bytes"), info.CapacityBytes),
                new XElement("target", new XElement("format", new XAttribute("type", format)))).ToString();
            using var copy = target.CreateVolumeFrom(xml, volume);
            return true;
        }, CancellationToken.None); // libvirt's copy cannot be interrupted once it runs

        while (!copying.IsCompleted)
        {
            await Task.WhenAny(copying, Task.Delay(CopyPollInterval, CancellationToken.None));
            if (copying.IsCompleted || progress is null) continue;
            try
            {
                var done = await Call(hostId, what, connection =>
                {
                    using var target = connection.LookupStoragePoolByName(spec.TargetPool);
                    using var copy = target.LookupVolumeByName(spec.TargetName);
                    return copy.GetInfo().AllocationBytes;
                }, CancellationToken.None);
                progress.Report(new TransferProgress(Math.Min(done, total), total));
            }
            catch (HypervisorException)
            {
                // the copy is not visible yet
            }
        }
        await copying;
        if (cancellationToken.IsCancellationRequested)
        {
            // libvirt cannot stop a copy it runs: a cancelled copy is removed once libvirt has finished it.
            await Call(hostId, what, connection =>
            {
                using var target = connection.LookupStoragePoolByName(spec.TargetPool);
                using var copy = target.LookupVolumeByName(spec.TargetName);
                copy.Delete();
                return true;
            }, CancellationToken.None);
            throw new OperationCanceledException($"{what} was cancelled; the copy was removed.", cancellationToken);
        }
        progress?.Report(new TransferProgress(total, total));
    }

    private static string UploadName(string name) => $"{(name.Length > 200 ? name[..200] : name)}.upload-{Guid.NewGuid():N}";

    /// <summary>
    /// Puts a complete upload in the old volume's place. libvirt cannot rename a volume, so the old one is deleted
    /// and the upload copied under its name; should that fail, the upload stays under its own name, and the error says so.
    /// </summary>
    private Task ReplaceWithUploadAsync(Guid hostId, string pool, string name, string uploaded, string what) =>
        Call(hostId, what, connection =>
        {
            using var storagePool = ActivePool(connection, pool);
            using var upload = storagePool.LookupVolumeByName(uploaded);
            try
            {
                using (var old = storagePool.LookupVolumeByName(name))
                {
                    RefuseInUse(connection, what, pool, old); // it may have been attached meanwhile
                    old.Delete();
                }
                using var replacement = storagePool.CreateVolumeFrom(new XElement("volume", new XElement("name", name),
                    new XElement("capacity", new XAttribute("unit", "bytes"), upload.GetInfo().CapacityBytes),
                    new XElement("target", new XElement("format", new XAttribute("type", "raw")))).ToString(), upload);
            }
            catch (Exception e) when (e is LibvirtException or HypervisorException)
            {
                throw new HypervisorException($"{what}: the file was uploaded but could not replace {name}; it is kept as volume {uploaded}.",
                    (e as LibvirtException)?.Message ?? (e as HypervisorException)?.LibvirtMessage, e)
                {
                    Kind = HypervisorErrorKind.UploadKeptAside, Arguments = [name, uploaded],
                };
            }
            upload.Delete();
            return true;
        }, CancellationToken.None);

    public async Task UploadAsync(Guid hostId, string pool, string name, Stream source, ulong lengthBytes, bool overwrite,
        IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var what = $"Upload to volume {name}";
        if (VolumeSpecValidator.CheckName(name, "Name") is { } problem) throw HypervisorException.Invalid([problem]);
        if (lengthBytes == 0) throw HypervisorException.Because(HypervisorErrorKind.UploadEmpty, $"{what}: the file is empty.");
        // A replacement is uploaded beside the old volume first, so a failed or cancelled upload leaves the old one
        // as it was; only a complete upload replaces it (ReplaceWithUploadAsync).
        string? replacing = null;
        var (volume, stream) = await Call(hostId, what, connection =>
        {
            using var storagePool = ActivePool(connection, pool);
            var available = storagePool.GetInfo().AvailableBytes;
            if (VolumeExists(storagePool, name))
            {
                if (!overwrite) throw Exists(what, name, pool);
                using var old = storagePool.LookupVolumeByName(name);
                RefuseInUse(connection, what, pool, old);
                RefuseIfBacking(pool, old, what);
                replacing = UploadName(name);
            }
            if (lengthBytes > available)
                throw PoolFull(what, lengthBytes, pool, available);
            var target = storagePool.CreateVolume(new XElement("volume", new XElement("name", replacing ?? name),
                new XElement("capacity", new XAttribute("unit", "bytes"), lengthBytes),
                new XElement("allocation", new XAttribute("unit", "bytes"), 0),
                new XElement("target", new XElement("format", new XAttribute("type", "raw")))).ToString());
            var libvirtStream = connection.NewStream();
            try
            {
                target.Upload(libvirtStream, 0, lengthBytes);
            }
            catch
            {
                libvirtStream.Dispose();
                target.Delete();
                target.Dispose();
                throw;
            }
            return (target, libvirtStream);
        }, cancellationToken);

        var completed = false;
        try
        {
            await VolumeStreamPump.UploadAsync(source, lengthBytes, stream, progress, cancellationToken);
            await Task.Run(stream.Finish, CancellationToken.None);
            completed = true;
        }
        catch (LibvirtException e)
        {
            throw new HypervisorException($"{what} failed.", e.Message, e) { Kind = HypervisorErrorKind.Failed, Arguments = [HostName(hostId)] };
        }
        finally
        {
            if (!completed)
            {
                await Task.Run(() =>
                {
                    stream.Dispose(); // aborts
                    try
                    {
                        volume.Delete(); // nothing half-written may look complete
                    }
                    catch (LibvirtException)
                    {
                        // the host is gone; the partial volume goes with the next delete from the list
                    }
                }, CancellationToken.None);
            }
            else
            {
                stream.Dispose();
            }
            volume.Dispose();
        }
        if (replacing is not null)
            await ReplaceWithUploadAsync(hostId, pool, name, replacing, what);
        // libvirt probes the uploaded content (ISO, qcow2) on refresh
        try
        {
            await RefreshPoolAsync(hostId, pool, CancellationToken.None);
        }
        catch (HypervisorException)
        {
            // the upload itself succeeded
        }
    }

    public Task<VolumeDownload> PrepareDownloadAsync(Guid hostId, string pool, string name, CancellationToken cancellationToken = default) =>
        Call(hostId, $"Download volume {name}", connection =>
        {
            using var storagePool = ActivePool(connection, pool);
            using var volume = storagePool.LookupVolumeByName(name);
            return new VolumeDownload(name, DownloadLength(volume));
        }, cancellationToken);

    /// <summary>The bytes a download streams: the file as stored (its physical size), else the capacity.</summary>
    private static ulong DownloadLength(StorageVolume volume)
    {
        var xml = XElement.Parse(volume.GetXmlDescription());
        return (string?)xml.Element("physical") is { } p && ulong.TryParse(p, out var physical) && physical > 0
            ? physical
            : volume.GetInfo().CapacityBytes;
    }

    public async Task DownloadAsync(Guid hostId, string pool, string name, Stream destination,
        IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var what = $"Download volume {name}";
        var (volume, length) = await Call(hostId, what, connection =>
        {
            using var storagePool = ActivePool(connection, pool);
            var found = storagePool.LookupVolumeByName(name);
            try
            {
                return (found, DownloadLength(found));
            }
            catch
            {
                found.Dispose();
                throw;
            }
        }, cancellationToken);
        using (volume)
        using (var reader = new VolumeRangeReader((offset, count) => OpenRange(volume, offset, count), length, DownloadRangeBytes))
        {
            try
            {
                await VolumeStreamPump.DownloadAsync(reader, length, destination, progress, cancellationToken);
            }
            catch (LibvirtException e)
            {
                throw new HypervisorException(StorageError(e, what) ?? $"{what} failed.", e.Message, e) { Kind = HypervisorErrorKind.Failed, Arguments = [HostName(hostId)] };
            }
            catch (ObjectDisposedException e)
            {
                throw new HypervisorException($"{what} failed: host {HostName(hostId)} went offline.", null, e)
                {
                    Kind = HypervisorErrorKind.HostWentOffline, Arguments = [HostName(hostId)],
                };
            }
        }
    }

    /// <summary>
    /// Starts the download of one range of the volume. Called on the transfer's receiving thread, which makes all of its
    /// libvirt calls itself: a hop through the thread pool per range would stall the stream whenever the pool is busy.
    /// </summary>
    private static Libvirt.Stream OpenRange(StorageVolume volume, ulong offset, ulong count)
    {
        var stream = volume.Connection.NewStream();
        try
        {
            volume.Download(stream, offset, count);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
        return stream;
    }

    private static IReadOnlyList<SpecProblem> ValidateVolume(Connection connection, VolumeSpec spec)
    {
        var problems = VolumeSpecValidator.Validate(spec).ToList();
        if (problems.Count > 0) return problems;
        try
        {
            using var pool = ActivePool(connection, spec.Pool);
            if (VolumeExists(pool, spec.Name))
                problems.Add(SpecProblem.Of("Name", "VolumeNameTaken", $"A volume called \"{spec.Name}\" already exists in pool {spec.Pool}.", spec.Name, spec.Pool));
            if (spec.BackingVolume is { } backing)
            {
                using var backingPool = connection.LookupStoragePoolByName(backing.Pool);
                if (!VolumeExists(backingPool, backing.Name))
                    problems.Add(SpecProblem.Of("BackingVolume", "BackingVolumeMissing", $"Pool {backing.Pool} has no volume called \"{backing.Name}\".", backing.Name, backing.Pool));
                else if (spec.SizeBytes != 0)
                {
                    using var backingVolume = backingPool.LookupVolumeByName(backing.Name);
                    if (spec.SizeBytes < backingVolume.GetInfo().CapacityBytes)
                        problems.Add(SpecProblem.Of("SizeBytes", "OverlaySmallerThanBacking", "A copy-on-write volume cannot be smaller than its backing volume."));
                }
            }
        }
        catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoStoragePool)
        {
            problems.Add(SpecProblem.Of("Pool", "PoolMissing", $"There is no storage pool {spec.Pool} on this host.", spec.Pool));
        }
        return problems;
    }

    private static HypervisorException Exists(string what, string volume, string pool) =>
        HypervisorException.Because(HypervisorErrorKind.VolumeExists, $"{what}: a volume called \"{volume}\" already exists in pool {pool}.", volume, pool);

    private static HypervisorException PoolFull(string what, ulong needed, string pool, ulong available) =>
        HypervisorException.Because(HypervisorErrorKind.PoolFull, $"{what}: the file has {needed} bytes but pool {pool} has only {available} bytes free.",
            SpecProblem.Size(needed), pool, SpecProblem.Size(available));

    private static bool VolumeExists(StoragePool pool, string name)
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

    private static StoragePool ActivePool(Connection connection, string name)
    {
        var pool = connection.LookupStoragePoolByName(name);
        if (!pool.IsActive)
        {
            pool.Dispose();
            throw HypervisorException.Because(HypervisorErrorKind.PoolInactive, $"Storage pool {name} is not active; start it first.", name);
        }
        return pool;
    }

    private static void RefuseInUse(Connection connection, string what, string pool, StorageVolume volume)
    {
        var users = DiskUsers.Read(connection).Of(volume.GetPath(), pool, volume.Name);
        if (users.Count > 0) throw InUse(what, volume.Name, users);
    }

    /// <summary>Refuses when another volume of the pool is a copy-on-write overlay of this one.</summary>
    private static void RefuseIfBacking(string pool, StorageVolume volume, string what)
    {
        var path = volume.GetPath();
        using var storagePool = volume.GetPool();
        var volumes = storagePool.ListAllVolumes();
        try
        {
            var overlays = volumes
                .Where(v => (string?)XElement.Parse(v.GetXmlDescription()).Element("backingStore")?.Element("path") == path)
                .Select(v => v.Name).ToList();
            if (overlays.Count > 0)
            {
                var names = string.Join(", ", overlays);
                throw HypervisorException.Because(HypervisorErrorKind.VolumeIsBacking,
                    $"{what}: volume {volume.Name} is the backing file of {names} in pool {pool}; delete those first.", volume.Name, names, pool);
            }
        }
        finally
        {
            foreach (var v in volumes) v.Dispose();
        }
    }

    private static HypervisorException InUse(string what, string volume, IReadOnlyList<VolumeUser> users)
    {
        var names = string.Join(", ", users.Select(u => u.VmName));
        return new HypervisorException($"{what}: volume {volume} is used by VM {names}.")
        {
            Kind = HypervisorErrorKind.VolumeInUse,
            Arguments = [volume, names],
        };
    }

    private static IReadOnlyCollection<string> PoolNames(Connection connection)
    {
        var pools = connection.ListAllStoragePools();
        try
        {
            return pools.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        }
        finally
        {
            foreach (var pool in pools) pool.Dispose();
        }
    }

    internal static string? FormatOf(XElement volumeXml) => (string?)volumeXml.Element("target")?.Element("format")?.Attribute("type");

    private string HostName(Guid hostId) => hosts.Find(hostId)?.Host.Name ?? hostId.ToString();

    private Task OnPool(Guid hostId, string pool, string what, Action<StoragePool> action, CancellationToken cancellationToken) =>
        Call(hostId, what, connection =>
        {
            using var storagePool = connection.LookupStoragePoolByName(pool);
            action(storagePool);
            return true;
        }, cancellationToken);

    private Task OnVolume(Guid hostId, string pool, string name, string what, Action<Connection, StorageVolume> action, CancellationToken cancellationToken) =>
        Call(hostId, what, connection =>
        {
            using var storagePool = ActivePool(connection, pool);
            using var volume = storagePool.LookupVolumeByName(name);
            action(connection, volume);
            return true;
        }, cancellationToken);

    private Task<T> Call<T>(Guid hostId, string what, Func<Connection, T> call, CancellationToken cancellationToken)
    {
        var session = HostCalls.Session(hosts, hostId);
        return HostCalls.CallAsync(session, new HostCall("storage.change", what), connection =>
        {
            try
            {
                return call(connection);
            }
            catch (LibvirtException e) when (StorageError(e, what) is { } message)
            {
                // Storage refusals in our words; the VM-centric translation of HostCalls does not fit them.
                throw new HypervisorException(message, e.Message, e) { Kind = HypervisorErrorKind.Failed, Arguments = [session.Host.Name] };
            }
        }, cancellationToken);
    }

    private static string? StorageError(LibvirtException e, string what) => e.ErrorCode switch
    {
        ErrorCode.NoStoragePool => $"{what}: the storage pool no longer exists.",
        ErrorCode.NoStorageVol => $"{what}: the volume no longer exists.",
        ErrorCode.OperationInvalid or ErrorCode.OperationFailed or ErrorCode.StorageProbeFailed or ErrorCode.NoSupport
            or ErrorCode.InvalidArg or ErrorCode.XmlError or ErrorCode.StorageVolExist or ErrorCode.InternalError => $"{what} failed.",
        _ => null,
    };
}
