using KvmPortal.Web.Access;
using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Web.Components.Shared;
using KvmPortal.Web.Jobs;
using KvmPortal.Web.Localization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.JSInterop;
using MudBlazor;

namespace KvmPortal.Web.Components.Pages.Storage;

/// <summary>The keys of the pool actions: button label, confirmation question and success message share a stem.</summary>
public static class StoragePoolActions
{
    public const string Build = "StoragePoolBuild";
    public const string Start = "StoragePoolStart";
    public const string Stop = "StoragePoolStop";
    public const string Refresh = "StoragePoolRefresh";
    public const string Delete = "StoragePoolDelete";
    public const string Undefine = "StoragePoolUndefine";
}

public static class StorageVolumeActions
{
    public const string Wipe = "StorageVolumeWipe";
    public const string Delete = "StorageVolumeDelete";
}

/// <summary>The new-volume fields of the page.</summary>
public sealed class NewVolumeForm
{
    public string Name { get; set; } = "";
    public double SizeGiB { get; set; } = 10;
    public VolumeFormat Format { get; set; } = VolumeFormat.Qcow2;
    public Preallocation Preallocation { get; set; } = Preallocation.Off;
    public string? Backing { get; set; }

    public VolumeSpec ToSpec(string pool) => new(pool, Name.Trim(), (ulong)Math.Max(0, SizeGiB * (1UL << 30)), Format, Preallocation,
        Backing is { Length: > 0 } backing ? new VolumeRef(pool, backing) : null);
}

public partial class StoragePage
{
    private readonly PoolFormModel poolForm = new();
    private readonly NewVolumeForm newVolume = new();
    private readonly string uploadInputId = "upload-" + Guid.NewGuid().ToString("N")[..8];
    private Guid? hostId;
    private IReadOnlyList<StoragePoolSummary> pools = [];
    private IReadOnlyDictionary<string, int> volumeCounts = new Dictionary<string, int>();
    private IReadOnlyList<PoolTypeSupport> poolTypes = [];
    private IReadOnlyList<VolumeDetails> volumes = [];
    private IReadOnlyList<SpecProblem> problems = [];
    private string? selectedPool;
    private string? preview;
    private string? error;
    private bool showPoolForm;
    private bool busy;
    private VolumeDetails? resizing;
    private double resizeGiB;
    private VolumeDetails? copying;
    private string copyName = "";
    private string? copyPool;
    private VolumeFormat? copyFormat;
    private VolumeInformation? info;
    private string uploadName = "";
    private bool uploadOverwrite;
    private bool uploading;
    private long uploadDone, uploadTotal;
    private IJSObjectReference? uploadModule;
    private DotNetObjectReference<StoragePage>? self;

    [Inject] private IStorageOperations Storage { get; set; } = default!;
    [Inject] private IStorageQueries Queries { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private OperationJobs Jobs { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private AntiforgeryStateProvider Antiforgery { get; set; } = default!;

    private Guid HostId => hostId ?? Guid.Empty;

    private double UploadPercent => uploadTotal > 0 ? 100.0 * uploadDone / uploadTotal : 0;

    protected override async Task OnInventoryUpdatedAsync()
    {
        if (hostId is null && Snapshot.Hosts.Values.OrderBy(h => h.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault() is { } first)
            await SelectHostAsync(first.Id);
    }

    private async Task SelectHostAsync(Guid? id)
    {
        hostId = id;
        selectedPool = null;
        volumes = [];
        poolTypes = [];
        await LoadPoolsAsync();
    }

    private async Task LoadPoolsAsync()
    {
        if (hostId is not { } id) return;
        await GuardAsync(Text["StorageReload"], async () =>
        {
            pools = await Queries.ListPoolsAsync(id, ComponentLifetime);
            volumeCounts = await Storage.CountVolumesAsync(id, ComponentLifetime);
            if (selectedPool is not null && pools.All(p => p.Name != selectedPool || p.State != PoolState.Running))
            {
                selectedPool = null;
                volumes = [];
            }
            if (selectedPool is not null) volumes = await Storage.ListVolumesAsync(id, selectedPool, ComponentLifetime);
        }, clearError: false); // keep the error of the operation that asked for the reload
    }

    private async Task SelectPoolAsync(string pool)
    {
        selectedPool = pool;
        resizing = null;
        copying = null;
        info = null;
        await GuardAsync(Text["StorageReload"], async () => volumes = await Storage.ListVolumesAsync(HostId, pool, ComponentLifetime));
    }

    private async Task OpenPoolForm()
    {
        showPoolForm = true;
        preview = null;
        problems = [];
        if (poolTypes.Count == 0)
            await GuardAsync(Text["StoragePoolNew"], async () => poolTypes = await Storage.GetPoolTypesAsync(HostId, ComponentLifetime));
    }

    private string FieldValue(string field) => field switch
    {
        "TargetPath" => poolForm.TargetPath,
        "SourceDevice" => poolForm.SourceDevice,
        "SourceHost" => poolForm.SourceHost,
        "SourcePath" => poolForm.SourcePath,
        "SourceName" => poolForm.SourceName,
        "SourceFormat" => poolForm.SourceFormat,
        "Monitors" => poolForm.Monitors,
        "AuthUser" => poolForm.AuthUser,
        "AuthSecretUuid" => poolForm.AuthSecretUuid,
        _ => "",
    };

    private void SetField(string field, string value)
    {
        value ??= "";
        switch (field)
        {
            case "TargetPath": poolForm.TargetPath = value; break;
            case "SourceDevice": poolForm.SourceDevice = value; break;
            case "SourceHost": poolForm.SourceHost = value; break;
            case "SourcePath": poolForm.SourcePath = value; break;
            case "SourceName": poolForm.SourceName = value; break;
            case "SourceFormat": poolForm.SourceFormat = value; break;
            case "Monitors": poolForm.Monitors = value; break;
            case "AuthUser": poolForm.AuthUser = value; break;
            case "AuthSecretUuid": poolForm.AuthSecretUuid = value; break;
        }
        preview = null;
    }

    private bool HasProblem(string field) => problems.Any(p => p.Field == field);

    private string? Problem(string field) => problems.FirstOrDefault(p => p.Field == field) is { } problem ? ErrorMessages.Problem(Text, problem) : null;

    private async Task PreviewPoolAsync()
    {
        var spec = poolForm.ToSpec();
        await GuardAsync(Text["StoragePoolPreview"], async () =>
        {
            problems = await Storage.ValidatePoolAsync(HostId, spec, ComponentLifetime);
            preview = problems.Count == 0 ? Storage.PreviewPool(spec).Xml : null;
        });
    }

    private async Task DefinePoolAsync()
    {
        var spec = poolForm.ToSpec();
        var build = poolForm.Build && poolForm.CanBuild;
        await GuardAsync(Text["StoragePoolDefine"], async () =>
        {
            await Storage.DefinePoolAsync(HostId, spec, build, poolForm.Start, poolForm.Autostart, ComponentLifetime);
            Snackbar.Add(Text["StoragePoolDefined", spec.Name], Severity.Success);
            showPoolForm = false;
            preview = null;
        });
        await LoadPoolsAsync();
    }

    private async Task ConfirmThenAsync(string action, string target, Func<Task> operation)
    {
        if (!await ConfirmDialog.AskAsync(Dialogs, Text[action], Text[action + "Confirm", target], Text[action]))
            return;
        await RunAsync(Text[action], target, operation);
    }

    private Task SetAutostartAsync(string pool, bool autostart) =>
        RunAsync(Text["StoragePoolAutostart"], pool, () => Storage.SetPoolAutostartAsync(HostId, pool, autostart, ComponentLifetime));

    /// <summary>Operators see the pools and volumes they pick for VMs; changing storage is the administrators'.</summary>
    private bool CanManage => Access.Can(PortalAction.ManageStorage);

    private async Task RunAsync(string label, string target, Func<Task> operation)
    {
        if (await GuardAsync(Text["VmOperation", label, target], operation))
            Snackbar.Add(Text["StorageDone", label, target], Severity.Success);
        await LoadPoolsAsync();
    }

    /// <summary>Starts a long operation as a job and says where to follow it; true when it started.</summary>
    private async Task<bool> StartJobAsync(string label, string target, Func<Task<JobHandle>> start)
    {
        JobHandle? handle = null;
        if (await GuardAsync(Text["VmOperation", label, target], async () => handle = await start()) && handle is not null)
        {
            JobSnackbar.Started(Snackbar, Text, Navigation, handle.Started);
            return true;
        }
        return false;
    }

    /// <summary>Runs an operation, showing its failure in the user's language; true when it succeeded.</summary>
    private async Task<bool> GuardAsync(string operation, Func<Task> action, bool clearError = true)
    {
        busy = true;
        if (clearError) error = null;
        try
        {
            await action();
            return true;
        }
        catch (HypervisorException e)
        {
            error = ErrorMessages.Describe(Text, e, operation);
            return false;
        }
        catch (AccessDeniedException)
        {
            error = Text["AccessDenied"];
            return false;
        }
        catch (OperationCanceledException) when (ComponentLifetime.IsCancellationRequested)
        {
            return false;
        }
        finally
        {
            busy = false;
        }
    }

    private async Task CreateVolumeAsync()
    {
        if (selectedPool is not { } pool) return;
        var spec = newVolume.ToSpec(pool);
        await GuardAsync(Text["StorageVolumeCreate"], async () =>
        {
            var found = await Storage.ValidateVolumeAsync(HostId, spec, ComponentLifetime);
            if (found.Count > 0)
            {
                error = ErrorMessages.Problems(Text, found);
                return;
            }
            await Storage.CreateVolumeAsync(HostId, spec, ComponentLifetime);
            Snackbar.Add(Text["StorageDone", Text["StorageVolumeCreate"], spec.Name], Severity.Success);
            newVolume.Name = "";
        });
        await LoadPoolsAsync();
    }

    private void OpenResize(VolumeDetails volume)
    {
        resizing = volume;
        resizeGiB = Math.Round(volume.CapacityBytes / (double)(1UL << 30), 3);
    }

    private async Task ResizeAsync()
    {
        if (resizing is not { } volume || selectedPool is not { } pool) return;
        var bytes = (ulong)Math.Max(0, resizeGiB * (1UL << 30));
        var shrink = bytes < volume.CapacityBytes;
        if (shrink && !await ConfirmDialog.AskAsync(Dialogs, Text["StorageVolumeResize"], Text["StorageShrinkWarning", volume.Name], Text["StorageShrink"]))
            return;
        await RunAsync(Text["StorageVolumeResize"], volume.Name, () => Storage.ResizeVolumeAsync(HostId, pool, volume.Name, bytes, shrink, ComponentLifetime));
        resizing = null;
    }

    private void OpenCopy(VolumeDetails volume)
    {
        copying = volume;
        copyPool = selectedPool;
        copyFormat = null;
        copyName = volume.Name + "-copy";
    }

    private async Task CopyAsync()
    {
        if (copying is not { } volume || selectedPool is not { } pool || copyPool is not { } target) return;
        var spec = new VolumeCopySpec(pool, volume.Name, target, copyName.Trim(), copyFormat);
        if (await StartJobAsync(Text["StorageVolumeCopy"], volume.Name, () => Jobs.CopyVolumeAsync(HostId, spec)))
            copying = null;
    }

    private async Task ShowInfoAsync(string name)
    {
        if (selectedPool is not { } pool) return;
        await GuardAsync(Text["StorageVolumeInfo"], async () => info = await Storage.GetVolumeInfoAsync(HostId, pool, name, ComponentLifetime));
    }

    private string DownloadUrl(string name) =>
        $"api/storage/{HostId}/{Uri.EscapeDataString(selectedPool ?? "")}/volumes/{Uri.EscapeDataString(name)}/download";

    private string UploadUrl(string name) =>
        $"api/storage/{HostId}/{Uri.EscapeDataString(selectedPool ?? "")}/volumes/{Uri.EscapeDataString(name)}/upload?overwrite={(uploadOverwrite ? "true" : "false")}";

    private async Task<IJSObjectReference> UploadModuleAsync() =>
        uploadModule ??= await JS.InvokeAsync<IJSObjectReference>("import", "./js/storage-upload.js");

    private async Task OnFileChosenAsync(ChangeEventArgs _)
    {
        var module = await UploadModuleAsync();
        var file = await module.InvokeAsync<ChosenFile?>("fileInfo", uploadInputId);
        if (file is not null && string.IsNullOrWhiteSpace(uploadName)) uploadName = file.Name;
        uploadTotal = file?.Size ?? 0;
        uploadDone = 0;
    }

    private async Task StartUploadAsync()
    {
        if (selectedPool is null) return;
        if (string.IsNullOrWhiteSpace(uploadName))
        {
            error = Text["StorageUploadChooseFile"];
            return;
        }
        var module = await UploadModuleAsync();
        self ??= DotNetObjectReference.Create(this);
        var token = Antiforgery.GetAntiforgeryToken()?.Value ?? "";
        uploadDone = 0;
        error = null;
        uploading = await module.InvokeAsync<bool>("start", uploadInputId, uploadInputId, UploadUrl(uploadName.Trim()), token, self);
        if (!uploading) error = Text["StorageUploadChooseFile"];
    }

    private async Task CancelUploadAsync()
    {
        if (uploadModule is not null) await uploadModule.InvokeVoidAsync("cancel", uploadInputId);
    }

    [JSInvokable]
    public Task OnUploadProgress(long loaded, long total) => InvokeAsync(() =>
    {
        uploadDone = loaded;
        uploadTotal = total;
        StateHasChanged();
    });

    [JSInvokable]
    public Task OnUploadDone(bool succeeded, string detail) => InvokeAsync(async () =>
    {
        uploading = false;
        if (succeeded)
        {
            uploadDone = uploadTotal;
            Snackbar.Add(Text["StorageUploaded", uploadName], Severity.Success);
            uploadName = "";
        }
        else
        {
            error = detail == "cancelled" ? Text["StorageUploadCancelled", uploadName] : Text["StorageUploadFailed", uploadName, detail];
            uploadDone = 0;
        }
        await LoadPoolsAsync();
        StateHasChanged();
    });

    private sealed record ChosenFile(string Name, long Size);
}
