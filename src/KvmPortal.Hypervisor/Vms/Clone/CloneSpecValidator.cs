using KvmPortal.Hypervisor.Vms.Create;

namespace KvmPortal.Hypervisor.Vms.Clone;

/// <summary>Checks a <see cref="CloneSpec"/> before the host is asked: the name as for a new VM, the pool choice.</summary>
public static class CloneSpecValidator
{
    /// <param name="spec">The clone asked for.</param>
    /// <param name="existingNames">Names of the VMs already on the source's host.</param>
    public static IReadOnlyList<SpecProblem> Validate(CloneSpec spec, IReadOnlyCollection<string> existingNames)
    {
        var problems = new List<SpecProblem>();
        if (DomainSpecValidator.CheckName(spec.Name, "VmName", "Name") is { } nameProblem) problems.Add(nameProblem);
        else if (existingNames.Contains(spec.Name))
            problems.Add(SpecProblem.Of("Name", "VmNameTaken", $"A VM called \"{spec.Name}\" already exists on this host.", spec.Name));
        if (spec.Linked && spec.TargetPool is not null)
            problems.Add(SpecProblem.Of("TargetPool", "LinkedCloneOwnPool", "A linked clone stays in its source's pools; choose a target pool only for a full clone."));
        else if (spec.TargetPool is not null && DomainSpecValidator.CheckName(spec.TargetPool, "PoolName", "TargetPool") is { } poolProblem)
            problems.Add(poolProblem);
        return problems;
    }
}
