using KvmPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace KvmPortal.Web.Jobs;

/// <summary>The Jobs table: a row when a job starts, updated when it ends; the list reads the newest first.</summary>
public sealed class JobStore(IDbContextFactory<KvmPortalDbContext> contexts)
{
    public const int ListLimit = 200;

    public async Task AddAsync(JobRecord record, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Jobs.Add(record);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task FinishAsync(JobView finished, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Jobs.Where(j => j.Id == finished.Id).ExecuteUpdateAsync(set => set
            .SetProperty(j => j.State, finished.State)
            .SetProperty(j => j.FinishedAt, finished.FinishedAt)
            .SetProperty(j => j.DoneBytes, (long?)finished.Progress?.DoneBytes)
            .SetProperty(j => j.TotalBytes, (long?)finished.Progress?.TotalBytes)
            .SetProperty(j => j.Error, Truncate(finished.Error))
            .SetProperty(j => j.ResultLink, finished.ResultLink), cancellationToken);
    }

    /// <summary>The newest jobs, of one owner or (null) of everyone.</summary>
    public async Task<IReadOnlyList<JobRecord>> ListAsync(string? ownerId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var jobs = db.Jobs.AsNoTracking();
        if (ownerId is not null)
            jobs = jobs.Where(j => j.OwnerId == ownerId);
        return await jobs.OrderByDescending(j => j.StartedAt).Take(ListLimit).ToListAsync(cancellationToken);
    }

    /// <summary>Marks the jobs <paramref name="instance"/> left running as interrupted; returns them.</summary>
    public async Task<IReadOnlyList<JobRecord>> MarkInterruptedAsync(string instance, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var running = await db.Jobs.Where(j => j.State == JobState.Running && j.Instance == instance).ToListAsync(cancellationToken);
        foreach (var job in running)
        {
            job.State = JobState.Interrupted;
            job.FinishedAt = now;
        }
        await db.SaveChangesAsync(cancellationToken);
        return running;
    }

    public static JobView ToView(JobRecord record) => new(record.Id, record.OwnerId, record.OwnerName, record.Kind, record.HostId,
        record.HostName, record.Subject, record.State, record.Cancellable, CancelRequested: false, record.StartedAt, record.FinishedAt,
        record.DoneBytes is { } done ? new JobProgress((ulong)done, (ulong?)record.TotalBytes) : null, record.Error, record.ResultLink);

    private static string? Truncate(string? text) => text is { Length: > 4000 } ? text[..4000] + "…" : text;
}
