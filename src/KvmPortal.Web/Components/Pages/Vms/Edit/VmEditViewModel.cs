using System.Xml.Linq;
using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Hypervisor.Vms.Edit;
using KvmPortal.Web.Audit;

namespace KvmPortal.Web.Components.Pages.Vms.Edit;

/// <summary>What the last edit did: the operation's resource key and, when it failed, the error.</summary>
public sealed record EditOutcome(string Operation, HypervisorException? Error);

/// <summary>
/// The VM detail page's edits (like virt-manager's details view), without rendering: vCPUs and memory with a
/// live/persistent scope, title, autostart, boot order, rename, devices, managed save, and the XML editor.
/// </summary>
public sealed class VmEditViewModel(IVmEditing editing, VmKey key)
{
    public const ulong MiB = 1UL << 20;

    public VmKey Key { get; } = key;
    public VmState State { get; private set; } = VmState.ShutOff;
    public bool IsActive => State is VmState.Running or VmState.Paused or VmState.Blocked;

    public int VCpus { get; set; } = 1;
    public int MemoryMiB { get; set; } = 1024;
    public ChangeScope Scope { get; set; } = ChangeScope.Config;
    public string Title { get; set; } = "";
    public string Description { get; set; } = "";
    public bool Autostart { get; set; }
    public string NewName { get; set; } = "";
    public List<BootDevice> BootOrder { get; } = [];
    public bool BootMenu { get; set; }

    // Attach forms
    public bool NewDiskIsNew { get; set; } = true;
    public string NewDiskPool { get; set; } = "default";
    public string NewDiskVolume { get; set; } = "";
    public double NewDiskSizeGiB { get; set; } = 10;
    public DiskBus NewDiskBus { get; set; } = DiskBus.Virtio;
    public NicSourceKind NewNicKind { get; set; } = NicSourceKind.Network;
    public string NewNicSource { get; set; } = "default";
    public NicModel NewNicModel { get; set; } = NicModel.Virtio;
    public string NewNicMac { get; set; } = "";

    // XML editor
    public string OriginalXml { get; private set; } = "";
    public string EditedXml { get; set; } = "";
    public bool XmlChanged => EditedXml.Replace("\r\n", "\n").TrimEnd() != OriginalXml.Replace("\r\n", "\n").TrimEnd();
    public string? XmlError => XmlFailure is { } e ? e.LibvirtMessage ?? e.Message : null;

    /// <summary>Why the last XML save was refused, for the page to word; null when it was not.</summary>
    public HypervisorException? XmlFailure { get; private set; }

    public bool Busy { get; private set; }
    public EditOutcome? Outcome { get; private set; }

    /// <summary>Raised after each edit (done or failed): the page re-reads the VM's details and re-renders.</summary>
    public event Func<Task>? Edited;

    private VmDetails? loaded;

    /// <summary>The scopes that make sense now: a shut-off VM only has its definition.</summary>
    public IReadOnlyList<ChangeScope> Scopes => IsActive ? [ChangeScope.Both, ChangeScope.Live, ChangeScope.Config] : [ChangeScope.Config];

    public bool CanRename => State is VmState.ShutOff or VmState.Crashed;

    /// <summary>
    /// Takes the current values from the VM's details (re-read after each change of state and each edit). A field the
    /// user has changed since the last read keeps the user's value: a re-read that lands while they type (e.g. after
    /// the vCPUs were applied) must not wipe a title not saved yet.
    /// </summary>
    public void Load(VmDetails details)
    {
        State = details.Info.State;
        VCpus = Fresh(VCpus, loaded?.Info.VCpus, details.Info.VCpus);
        MemoryMiB = Fresh(MemoryMiB, loaded is null ? null : (int?)(loaded.Info.MemoryBytes / MiB), (int)(details.Info.MemoryBytes / MiB));
        Title = Fresh(Title, loaded is null ? null : loaded.Title ?? "", details.Title ?? "");
        Description = Fresh(Description, loaded is null ? null : loaded.Description ?? "", details.Description ?? "");
        loaded = details;
        Autostart = details.Autostart;
        if (NewName.Length == 0) NewName = details.Info.Name;
        if (!Scopes.Contains(Scope)) Scope = Scopes[0];
        BootOrder.Clear();
        BootMenu = false;
        try
        {
            var os = XDocument.Parse(details.Xml).Root?.Element("os");
            foreach (var dev in os?.Elements("boot").Select(b => (string?)b.Attribute("dev")) ?? [])
            {
                BootDevice? device = dev switch { "hd" => BootDevice.Hd, "cdrom" => BootDevice.Cdrom, "network" => BootDevice.Network, _ => null };
                if (device is { } d && !BootOrder.Contains(d)) BootOrder.Add(d);
            }
            BootMenu = (string?)os?.Element("bootmenu")?.Attribute("enable") == "yes";
        }
        catch (System.Xml.XmlException)
        {
        }
    }

    /// <summary>The re-read value, unless the field no longer shows the previous read (the user changed it).</summary>
    private static T Fresh<T>(T current, T? previous, T now) where T : struct =>
        previous is not { } before || current.Equals(before) ? now : current;

    private static string Fresh(string current, string? previous, string now) => previous is null || current == previous ? now : current;

    public Task SetVcpusAsync() => RunAsync("EditVcpus", () => editing.SetVcpusAsync(Key, VCpus, Scope));
    public Task SetMemoryAsync() => RunAsync("EditMemory", () => editing.SetMemoryAsync(Key, (ulong)Math.Max(0, MemoryMiB) * MiB, Scope));
    public Task SaveTitleAsync() => RunAsync("EditTitle", () => editing.SetTitleAndDescriptionAsync(Key, Blank(Title), Blank(Description)));
    public Task SetAutostartAsync(bool enabled)
    {
        Autostart = enabled;
        return RunAsync("EditAutostart", () => editing.SetAutostartAsync(Key, enabled));
    }
    public Task SaveBootOrderAsync() => RunAsync("EditBootOrder", () => editing.SetBootOrderAsync(Key, BootOrder.ToList(), BootMenu));
    public Task RenameAsync() => RunAsync("EditRename", () => editing.RenameAsync(Key, NewName.Trim()));
    public Task ManagedSaveAsync() => RunAsync("EditManagedSave", () => editing.ManagedSaveAsync(Key));
    public Task RemoveManagedSaveAsync() => RunAsync("EditRemoveManagedSave", () => editing.RemoveManagedSaveAsync(Key));
    public Task StartPausedAsync() => RunAsync("EditStartPaused", () => editing.StartAsync(Key, paused: true));

    public Task DetachDiskAsync(string target) => RunAsync("EditDetachDisk", () => editing.DetachDiskAsync(Key, target, Scope));
    public Task DetachNicAsync(string mac) => RunAsync("EditDetachNic", () => editing.DetachNicAsync(Key, mac, Scope));
    public Task EjectAsync(string target) => RunAsync("EditEject", () => editing.ChangeMediaAsync(Key, target, CdromMedia.Eject, Scope));
    public Task InsertAsync(string target, VolumeRef media) => RunAsync("EditInsert", () => editing.ChangeMediaAsync(Key, target, new CdromMedia(media), Scope));

    /// <summary>The disk the attach form describes: a new volume or an existing one in the chosen pool.</summary>
    public DiskSpec NewDisk() => NewDiskIsNew
        ? new DiskSpec { Bus = NewDiskBus, NewVolume = new NewVolumeSpec(NewDiskPool, NewDiskVolume.Trim(), (ulong)Math.Max(0, Math.Round(NewDiskSizeGiB * (1UL << 30)))) }
        : new DiskSpec { Bus = NewDiskBus, ExistingVolume = new VolumeRef(NewDiskPool, NewDiskVolume.Trim()) };

    public Task AttachDiskAsync() => RunAsync("EditAttachDisk", () => editing.AttachDiskAsync(Key, NewDisk(), Scope));
    public Task AttachNicAsync() => RunAsync("EditAttachNic",
        () => editing.AttachNicAsync(Key, new NicSpec(NewNicKind, NewNicSource.Trim(), NewNicModel, Blank(NewNicMac)), Scope));

    public async Task LoadXmlAsync(CancellationToken cancellationToken = default)
    {
        await RunAsync("EditXmlLoad", async () =>
        {
            OriginalXml = await editing.GetPersistentXmlAsync(Key, cancellationToken);
            EditedXml = OriginalXml;
            XmlFailure = null;
        });
    }

    public IReadOnlyList<DiffLine> XmlDiff() => LineDiff.Compare(OriginalXml, EditedXml);

    /// <summary>Replaces the definition; libvirt's refusal is kept in <see cref="XmlError"/> next to the editor.</summary>
    public async Task<bool> SaveXmlAsync(CancellationToken cancellationToken = default)
    {
        XmlFailure = null;
        await RunAsync("EditXmlSave", () => editing.ReplaceXmlAsync(Key, EditedXml, cancellationToken));
        if (Outcome?.Error is { } error)
        {
            XmlFailure = error;
            return false;
        }
        await LoadXmlAsync(cancellationToken);
        return true;
    }

    private async Task RunAsync(string operation, Func<Task> action)
    {
        Busy = true;
        try
        {
            await action();
            Outcome = new EditOutcome(operation, null);
        }
        catch (HypervisorException e)
        {
            Outcome = new EditOutcome(operation, e);
        }
        catch (Access.AccessDeniedException e)
        {
            // Shown like any refused edit; the gate has already audited it.
            Outcome = new EditOutcome(operation, new HypervisorException(e.Message));
        }
        finally
        {
            Busy = false;
        }
        if (Edited is { } edited)
            await edited();
    }

    private static string? Blank(string text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
