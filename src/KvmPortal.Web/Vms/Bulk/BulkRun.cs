using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Web.Vms.Bulk;

/// <summary>A bulk dialog's run: not started, running (results arriving one VM at a time), done.</summary>
public sealed class BulkRun
{
    private readonly Dictionary<VmKey, BulkVmResult> _results = [];

    public IReadOnlyDictionary<VmKey, BulkVmResult> Results => _results;

    public bool Started { get; private set; }

    public bool Done { get; private set; }

    /// <param name="run">Runs the bulk operation, calling its argument as each VM's result is known.</param>
    /// <param name="onRenderer">Puts a result in on the component's renderer and re-renders (results arrive on other threads).</param>
    public async Task RunAsync(Func<Action<BulkVmResult>, Task<IReadOnlyList<BulkVmResult>>> run, Func<Action, Task> onRenderer)
    {
        Started = true;
        var all = await run(result => _ = onRenderer(() => _results[result.Vm] = result));
        foreach (var result in all)
            _results[result.Vm] = result;
        Done = true;
    }
}
