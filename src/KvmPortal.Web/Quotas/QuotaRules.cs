using System.Globalization;
using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Vms;

namespace KvmPortal.Web.Quotas;

/// <summary>
/// What counts against a team's quota and whether a request fits, as pure functions (no I/O, unit-tested).
/// Quotas count allocation: a VM's vCPUs and memory as defined (or, for running-only quotas, while it runs) and the
/// capacity of its volumes, not what the guest really uses.
/// </summary>
public static class QuotaRules
{
    /// <summary>
    /// Whether a VM in this state holds its vCPUs and memory. A VM of an offline host (state unknown) is counted:
    /// a quota must not grow because a host stopped answering.
    /// </summary>
    public static bool Occupies(VmState state) => state is not (VmState.ShutOff or VmState.Crashed);

    /// <summary>Whether the VM's vCPUs and memory count now: always, or only while it runs for a running-only quota.</summary>
    public static bool CountsCompute(VmInfo vm, bool runningOnly) => !runningOnly || Occupies(vm.State);

    /// <summary>A team's use: every VM counts once; vCPUs and memory per <see cref="CountsCompute"/>; the disk as measured.</summary>
    public static QuotaAmounts UseOf(IEnumerable<VmInfo> vms, bool runningOnly, ulong diskBytes)
    {
        ulong count = 0, vcpus = 0, memory = 0;
        foreach (var vm in vms)
        {
            count++;
            if (!CountsCompute(vm, runningOnly))
                continue;
            vcpus += (ulong)Math.Max(vm.VCpus, 0);
            memory += vm.MemoryBytes;
        }
        return new QuotaAmounts(count, vcpus, memory, diskBytes);
    }

    /// <summary>
    /// Every quota the request would exceed. Exactly at the limit is allowed; a kind the request does not add to is
    /// not checked (a team over its limit may still shrink or stop things); no limit never refuses.
    /// </summary>
    public static IReadOnlyList<QuotaExcess> Exceeded(TeamQuota quota, QuotaAmounts use, QuotaAmounts request)
    {
        var exceeded = new List<QuotaExcess>();
        foreach (var kind in Enum.GetValues<QuotaKind>())
        {
            var asked = request.Of(kind);
            if (asked == 0 || quota.LimitOf(kind) is not { } limit)
                continue;
            var inUse = use.Of(kind);
            if (inUse + asked > limit)
                exceeded.Add(new QuotaExcess(kind, limit, inUse, asked));
        }
        return exceeded;
    }

    /// <summary>
    /// The refusal for the first quota exceeded, e.g. "Team Alpha's memory quota (8 GiB) would be exceeded: 6 GiB in
    /// use, 4 GiB requested."; its kind and arguments (team, limit, in use, requested) let the pages translate it.
    /// </summary>
    public static HypervisorException Refusal(TeamQuota quota, QuotaExcess excess)
    {
        var (limit, inUse, requested) = (Format(excess.Kind, excess.Limit), Format(excess.Kind, excess.InUse), Format(excess.Kind, excess.Requested));
        return HypervisorException.Because(KindOf(excess.Kind),
            $"Team {quota.TeamName}'s {Name(excess.Kind)} quota ({limit}) would be exceeded: {inUse} in use, {requested} requested.",
            quota.TeamName, limit, inUse, requested);
    }

    /// <summary>Whether the exception is a quota refusal (audited as a refusal, a 409 in the API).</summary>
    public static bool IsRefusal(Exception exception) =>
        exception is HypervisorException { Kind: HypervisorErrorKind.QuotaVmsExceeded or HypervisorErrorKind.QuotaVcpusExceeded
            or HypervisorErrorKind.QuotaMemoryExceeded or HypervisorErrorKind.QuotaDiskExceeded };

    /// <summary>An amount as a refusal shows it, culture-neutral: "3" VMs or vCPUs, "512 MiB", "8 GiB", "1.5 GiB".</summary>
    public static string Format(QuotaKind kind, ulong amount)
    {
        if (kind is QuotaKind.Vms or QuotaKind.Vcpus)
            return amount.ToString(CultureInfo.InvariantCulture);
        return amount >= TeamQuota.GiB || amount == 0
            ? (amount / (double)TeamQuota.GiB).ToString("0.#", CultureInfo.InvariantCulture) + " GiB"
            : (amount / (double)TeamQuota.MiB).ToString("0.#", CultureInfo.InvariantCulture) + " MiB";
    }

    private static HypervisorErrorKind KindOf(QuotaKind kind) => kind switch
    {
        QuotaKind.Vms => HypervisorErrorKind.QuotaVmsExceeded,
        QuotaKind.Vcpus => HypervisorErrorKind.QuotaVcpusExceeded,
        QuotaKind.Memory => HypervisorErrorKind.QuotaMemoryExceeded,
        _ => HypervisorErrorKind.QuotaDiskExceeded,
    };

    private static string Name(QuotaKind kind) => kind switch
    {
        QuotaKind.Vms => "VM count",
        QuotaKind.Vcpus => "vCPU",
        QuotaKind.Memory => "memory",
        _ => "disk",
    };
}
