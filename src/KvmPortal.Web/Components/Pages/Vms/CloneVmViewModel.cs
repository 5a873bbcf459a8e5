using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Clone;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Web.Access;

namespace KvmPortal.Web.Components.Pages.Vms;

/// <summary>
/// The clone dialog's state: the name (checked as the user types, like the create wizard's), full or linked, the
/// target pool, and the copy's progress; <see cref="CloneAsync"/> returns the new VM or leaves an error to show.
/// </summary>
public sealed class CloneVmViewModel(IVmCloning cloning, VmInfo source, IReadOnlyCollection<string> namesOnHost)
{
    /// <summary>A clone is "{source}-clone"; a VM made from a template gets the first free "{template}-N".</summary>
    public string Name { get; set; } = source.Template ? FreshName(source.Name, namesOnHost) : source.Name + "-clone";
    public bool Linked { get; set; }

    /// <summary>Where full copies go; null keeps each disk in its own pool. Ignored for a linked clone.</summary>
    public string? TargetPool { get; set; }

    public string? NameError { get; private set; }
    public string? Error { get; private set; }
    public CloneProgress? Progress { get; private set; }
    public bool Busy { get; private set; }

    public required Func<SpecProblem, string> ProblemText { get; init; }
    public required Func<HypervisorException, string> ErrorText { get; init; }
    public required string AccessDeniedText { get; init; }

    /// <summary>The share of the current disk copied, 0 to 100.</summary>
    public double Percent => Progress is { Transfer: { TotalBytes: > 0 } t } ? 100.0 * t.DoneBytes / t.TotalBytes.Value : 0;

    /// <summary>Checks the name as libvirt and the host would; true when it is fine.</summary>
    public bool ValidateName()
    {
        var problem = CloneSpecValidator.Validate(new CloneSpec(Name), namesOnHost).FirstOrDefault(p => p.Field == "Name");
        NameError = problem is null ? null : ProblemText(problem);
        return problem is null;
    }

    /// <summary>Clones; <paramref name="changed"/> is called on each progress report. Null when it failed (see the errors).</summary>
    public async Task<VmKey?> CloneAsync(Action changed, CancellationToken cancellationToken)
    {
        Error = null;
        if (!ValidateName())
            return null;
        Busy = true;
        try
        {
            var progress = new Reporter(report =>
            {
                Progress = report;
                changed();
            });
            return await cloning.CloneAsync(source.Key, new CloneSpec(Name, Linked ? null : TargetPool, Linked, source.Template), progress, cancellationToken);
        }
        catch (HypervisorException e) when (e.Kind == HypervisorErrorKind.InvalidSpec)
        {
            NameError = string.Join(" ", e.Problems.Where(p => p.Field == "Name").Select(ProblemText));
            var others = e.Problems.Where(p => p.Field != "Name").Select(ProblemText).ToList();
            Error = others.Count > 0 ? string.Join(" ", others) : null;
            if (NameError.Length == 0) NameError = null;
            return null;
        }
        catch (HypervisorException e)
        {
            Error = ErrorText(e);
            return null;
        }
        catch (AccessDeniedException)
        {
            Error = AccessDeniedText;
            return null;
        }
        finally
        {
            Busy = false;
            Progress = null;
        }
    }

    private static string FreshName(string template, IReadOnlyCollection<string> taken) =>
        Enumerable.Range(1, taken.Count + 1).Select(n => $"{template}-{n}").First(name => !taken.Contains(name));

    /// <summary>Reports at once, on the cloner's thread (Progress&lt;T&gt; would need a synchronization context).</summary>
    private sealed class Reporter(Action<CloneProgress> report) : IProgress<CloneProgress>
    {
        public void Report(CloneProgress value) => report(value);
    }
}
