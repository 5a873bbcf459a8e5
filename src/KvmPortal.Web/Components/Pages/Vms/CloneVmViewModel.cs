using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Clone;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Web.Access;
using KvmPortal.Web.Jobs;

namespace KvmPortal.Web.Components.Pages.Vms;

/// <summary>
/// The clone dialog's state: the name (checked as the user types, like the create wizard's), full or linked and the
/// target pool. <see cref="StartAsync"/> checks the request with the host (<see cref="IVmCloning.PlanAsync"/>) and
/// starts the clone as a job (the copy's progress shows in the job center), or leaves an error to show.
/// </summary>
public sealed class CloneVmViewModel(IVmCloning cloning, OperationJobs jobs, VmInfo source, IReadOnlyCollection<string> namesOnHost)
{
    /// <summary>A clone is "{source}-clone"; a VM made from a template gets the first free "{template}-N".</summary>
    public string Name { get; set; } = source.Template ? FreshName(source.Name, namesOnHost) : source.Name + "-clone";
    public bool Linked { get; set; }

    /// <summary>Where full copies go; null keeps each disk in its own pool. Ignored for a linked clone.</summary>
    public string? TargetPool { get; set; }

    public string? NameError { get; private set; }
    public string? Error { get; private set; }
    public bool Busy { get; private set; }

    public required Func<SpecProblem, string> ProblemText { get; init; }
    public required Func<HypervisorException, string> ErrorText { get; init; }
    public required string AccessDeniedText { get; init; }

    /// <summary>Checks the name as libvirt and the host would; true when it is fine.</summary>
    public bool ValidateName()
    {
        var problem = CloneSpecValidator.Validate(new CloneSpec(Name), namesOnHost).FirstOrDefault(p => p.Field == "Name");
        NameError = problem is null ? null : ProblemText(problem);
        return problem is null;
    }

    /// <summary>The started clone job; null when the request was refused (see the errors).</summary>
    public async Task<JobView?> StartAsync(CancellationToken cancellationToken)
    {
        Error = null;
        if (!ValidateName())
            return null;
        Busy = true;
        var spec = new CloneSpec(Name, Linked ? null : TargetPool, Linked, source.Template);
        try
        {
            await cloning.PlanAsync(source.Key, spec, cancellationToken);
            return (await jobs.CloneVmAsync(source, spec)).Started;
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
        }
    }

    private static string FreshName(string template, IReadOnlyCollection<string> taken) =>
        Enumerable.Range(1, taken.Count + 1).Select(n => $"{template}-{n}").First(name => !taken.Contains(name));
}
