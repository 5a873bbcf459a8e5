using KvmPortal.Web.Jobs;

namespace KvmPortal.Web.Components.Pages.Jobs;

/// <summary>The jobs a list shows, newest first: loaded once, then kept current from the job center's changes.</summary>
public sealed class JobListModel
{
    private readonly object _gate = new();
    private List<JobView> _jobs = [];

    public IReadOnlyList<JobView> Jobs
    {
        get { lock (_gate) return _jobs; }
    }

    public void Load(IEnumerable<JobView> jobs)
    {
        lock (_gate) _jobs = [.. jobs.OrderByDescending(j => j.StartedAt)];
    }

    /// <summary>Puts in a job that started or changed (a change may arrive before the list is loaded).</summary>
    public void Apply(JobView job)
    {
        lock (_gate)
        {
            var others = _jobs.Where(j => j.Id != job.Id);
            _jobs = [.. others.Append(job).OrderByDescending(j => j.StartedAt)];
        }
    }

    /// <summary>"12:34" or "1:02:03" since the job started (until it ended).</summary>
    public static string Elapsed(JobView job, DateTimeOffset now)
    {
        var elapsed = job.Elapsed(now);
        if (elapsed < TimeSpan.Zero) elapsed = TimeSpan.Zero;
        return elapsed.TotalHours >= 1 ? elapsed.ToString(@"h\:mm\:ss") : elapsed.ToString(@"m\:ss");
    }
}
