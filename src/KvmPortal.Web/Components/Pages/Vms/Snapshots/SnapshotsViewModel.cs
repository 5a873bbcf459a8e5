using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Snapshots;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;
using KvmPortal.Web.Jobs;

namespace KvmPortal.Web.Components.Pages.Vms.Snapshots;

/// <summary>A snapshot in the indented tree: its depth below the roots.</summary>
public sealed record SnapshotRow(SnapshotInfo Snapshot, int Depth, bool HasChildren);

/// <summary>Which form of the Snapshots tab is open.</summary>
public enum SnapshotPanel
{
    None,
    Create,
    Revert,
    Delete,
    Describe,
}

/// <summary>
/// The Snapshots tab without rendering: the tree of a VM's snapshots and one open form at a time (take, revert,
/// delete, describe), each confirmed before it calls the service. A snapshot that saves a running VM's memory takes
/// as long as the memory is large: it runs as a job (<paramref name="startJob"/>) when one is given.
/// </summary>
public sealed class SnapshotsViewModel(ISnapshotOperations snapshots, VmKey key, Func<SnapshotSpec, Task<JobView>>? startJob = null)
{
    /// <summary>The job the last confirmed snapshot runs as, when it runs as one.</summary>
    public JobView? StartedJob { get; private set; }

    public IReadOnlyList<SnapshotRow> Rows { get; private set; } = [];
    public bool Loaded { get; private set; }
    public bool VmIsActive { get; private set; }

    public SnapshotPanel Panel { get; private set; }
    /// <summary>The snapshot the open revert, delete or describe form is about.</summary>
    public string? Target { get; private set; }

    // Take a snapshot
    public string NewName { get; set; } = "";
    public string NewDescription { get; set; } = "";
    /// <summary>Choosing the kind also chooses the memory the way it works: internal saves it exactly when the VM runs, external never.</summary>
    public SnapshotKind NewKind
    {
        get => newKind;
        set
        {
            newKind = value;
            IncludeMemory = value == SnapshotKind.Internal && VmIsActive;
        }
    }

    private SnapshotKind newKind = SnapshotKind.Internal;
    public bool IncludeMemory { get; set; }

    public RevertStart RevertStart { get; set; } = RevertStart.AsSaved;
    public bool DeleteChildren { get; set; }
    public string EditedDescription { get; set; } = "";

    public bool Busy { get; private set; }
    /// <summary>The last failure: the operation's resource key and the error; null after a success.</summary>
    public (string Operation, HypervisorException Error)? Failure { get; private set; }
    /// <summary>Whether the last operation was refused by the access policy (e.g. a grant withdrawn meanwhile).</summary>
    public bool Denied { get; private set; }

    public Task LoadAsync(bool vmIsActive, CancellationToken cancellationToken = default)
    {
        VmIsActive = vmIsActive;
        return RunAsync("SnapshotOpList", async () =>
        {
            var list = await snapshots.ListAsync(key, cancellationToken);
            Rows = Flatten(SnapshotTree.Build(list), 0).ToList();
            Loaded = true;
        }, reload: false);
    }

    public void OpenCreate()
    {
        Open(SnapshotPanel.Create, null);
        NewName = "";
        NewDescription = "";
        NewKind = SnapshotKind.Internal;
    }

    public void OpenRevert(string name)
    {
        Open(SnapshotPanel.Revert, name);
        RevertStart = RevertStart.AsSaved;
    }

    public void OpenDelete(string name)
    {
        Open(SnapshotPanel.Delete, name);
        DeleteChildren = false;
    }

    public void OpenDescribe(string name)
    {
        Open(SnapshotPanel.Describe, name);
        EditedDescription = Rows.FirstOrDefault(r => r.Snapshot.Name == name)?.Snapshot.Description ?? "";
    }

    public void Close() => Open(SnapshotPanel.None, null);

    /// <summary>Whether the target of the open form has children (so deleting can take them too).</summary>
    public bool TargetHasChildren => Rows.Any(r => r.Snapshot.Name == Target && r.HasChildren);

    /// <summary>Does what the open form asks; the form closes when it worked and stays open with the error when not.</summary>
    public Task ConfirmAsync() => Panel switch
    {
        SnapshotPanel.Create when IncludeMemory && startJob is not null => RunAsync("SnapshotOpCreate", async () =>
        {
            StartedJob = await startJob(new SnapshotSpec(NewName, NewDescription, NewKind, IncludeMemory));
            Close();
        }, reload: false),
        SnapshotPanel.Create => RunAsync("SnapshotOpCreate",
            () => snapshots.CreateAsync(key, new SnapshotSpec(NewName, NewDescription, NewKind, IncludeMemory))),
        SnapshotPanel.Revert => RunAsync("SnapshotOpRevert", () => snapshots.RevertAsync(key, Target!, RevertStart)),
        SnapshotPanel.Delete => RunAsync("SnapshotOpDelete", () => snapshots.DeleteAsync(key, Target!, DeleteChildren)),
        SnapshotPanel.Describe => RunAsync("SnapshotOpDescribe",
            () => snapshots.SetDescriptionAsync(key, Target!, string.IsNullOrWhiteSpace(EditedDescription) ? null : EditedDescription)),
        _ => Task.CompletedTask,
    };

    private void Open(SnapshotPanel panel, string? target)
    {
        Panel = panel;
        Target = target;
        Failure = null;
        Denied = false;
    }

    private async Task RunAsync(string operation, Func<Task> action, bool reload = true)
    {
        Busy = true;
        StartedJob = null;
        try
        {
            await action();
            Failure = null;
            Denied = false;
            if (reload)
            {
                Close();
                var list = await snapshots.ListAsync(key);
                Rows = Flatten(SnapshotTree.Build(list), 0).ToList();
            }
        }
        catch (HypervisorException e)
        {
            Failure = (operation, e);
        }
        catch (AccessDeniedException)
        {
            Denied = true;
        }
        finally
        {
            Busy = false;
        }
    }

    private static IEnumerable<SnapshotRow> Flatten(IReadOnlyList<SnapshotNode> nodes, int depth) =>
        nodes.SelectMany(n => Flatten(n.Children, depth + 1).Prepend(new SnapshotRow(n.Snapshot, depth, n.Children.Count > 0)));
}
