using KvmPortal.Hypervisor.Storage;

namespace KvmPortal.Web.Jobs;

/// <summary>An operation's own progress reports, turned into a job's (reported at once, on the operation's thread).</summary>
public sealed class JobProgressAdapter<T>(IJobProgress job, Func<T, JobProgress> map) : IProgress<T>
{
    public void Report(T value) => job.Report(map(value));
}

public static class JobProgressAdapter
{
    /// <summary>Bytes done of a total, as a transfer or copy reports them.</summary>
    public static IProgress<TransferProgress> Transfer(IJobProgress job) =>
        new JobProgressAdapter<TransferProgress>(job, p => new JobProgress(p.DoneBytes, p.TotalBytes));
}
