using KvmPortal.Web.Audit;

namespace KvmPortal.Web.Jobs;

public enum JobState
{
    Running,
    Succeeded,
    Failed,
    Cancelled,
    /// <summary>The dashboard stopped while the job ran; what it had done is unknown.</summary>
    Interrupted,
}

/// <summary>The kinds of job; each has a text "JobKind{name without dots}" in the resources.</summary>
public static class JobKinds
{
    public const string VmClone = "vm.clone";
    public const string VmCreate = "vm.create";
    public const string VmSnapshot = "vm.snapshot";
    public const string VolumeCopy = "volume.copy";
    public const string VolumeUpload = "volume.upload";
    public const string VolumeDownload = "volume.download";
    public const string PoolBuild = "pool.build";

    /// <summary>The resource key of a kind's name, e.g. "JobKindVmClone".</summary>
    public static string TextKey(string kind) =>
        "JobKind" + string.Concat(kind.Split('.').Select(part => part.Length == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]));
}

/// <summary>How far a job is: bytes (or libvirt's job data) done of a total when known, and the current step.</summary>
public readonly record struct JobProgress(ulong DoneBytes, ulong? TotalBytes, string? Step = null)
{
    /// <summary>0 to 100, or null when the total is unknown.</summary>
    public double? Percent => TotalBytes is > 0 ? Math.Min(100.0, 100.0 * DoneBytes / TotalBytes.Value) : null;
}

/// <summary>Where a job's work reports its progress (any thread).</summary>
public interface IJobProgress
{
    void Report(JobProgress progress);
}

/// <summary>
/// What to start: its kind (<see cref="JobKinds"/>), what it works on (for the audit and the list: <paramref name="Subject"/>
/// as shown), and whether cancelling it means anything.
/// </summary>
public sealed record JobRequest(string Kind, AuditTarget Target, string Subject, bool Cancellable = true);

/// <summary>A finished job's result: where to see it, when there is a page for it.</summary>
public sealed record JobOutcome(string? ResultLink = null)
{
    public static JobOutcome Done { get; } = new();
}

/// <summary>
/// What a job's work gets: services of the job's own scope (whose current actor is the job's owner, so the gated
/// services check and audit as that user even after the browser is gone), its progress sink and its cancellation.
/// </summary>
public sealed record JobContext(IServiceProvider Services, IJobProgress Progress, CancellationToken CancellationToken);

public delegate Task<JobOutcome> JobWork(JobContext context);

/// <summary>A job as the list shows it.</summary>
public sealed record JobView(
    Guid Id,
    string OwnerId,
    string OwnerName,
    string Kind,
    Guid? HostId,
    string? HostName,
    string Subject,
    JobState State,
    bool Cancellable,
    bool CancelRequested,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    JobProgress? Progress,
    string? Error,
    string? ResultLink)
{
    public bool IsRunning => State == JobState.Running;

    public TimeSpan Elapsed(DateTimeOffset now) => (FinishedAt ?? now) - StartedAt;
}

/// <summary>A started job: how it looked at start, and its end (faults with the work's own exception).</summary>
public sealed record JobHandle(JobView Started, Task<JobOutcome> Completion);
