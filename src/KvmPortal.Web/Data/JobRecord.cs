using KvmPortal.Web.Jobs;

namespace KvmPortal.Web.Data;

/// <summary>
/// One long operation run by the job center: who started it, on what, how far it got and how it ended. Written when it
/// starts and when it ends; live progress is kept in memory by the instance running it (<see cref="Instance"/>).
/// </summary>
public sealed class JobRecord
{
    public Guid Id { get; set; }
    public string OwnerId { get; set; } = "";
    public string OwnerName { get; set; } = "";
    /// <summary>One of <see cref="JobKinds"/>.</summary>
    public string Kind { get; set; } = "";
    public Guid? HostId { get; set; }
    public string? HostName { get; set; }
    /// <summary>What the job works on, as shown: a VM's name, pool/volume, a pool.</summary>
    public string Subject { get; set; } = "";
    public JobState State { get; set; }
    public bool Cancellable { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public long? DoneBytes { get; set; }
    public long? TotalBytes { get; set; }
    public string? Error { get; set; }
    /// <summary>Where the result can be seen (e.g. the new VM's page), relative to the app.</summary>
    public string? ResultLink { get; set; }
    /// <summary>The instance that runs it: jobs of this instance still running at its start were interrupted.</summary>
    public string Instance { get; set; } = "";
}
