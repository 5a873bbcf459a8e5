namespace KvmPortal.Web.Jobs;

/// <summary>
/// Long operations as jobs of the signed-in user. The work calls the gated services (from <see cref="JobContext.Services"/>),
/// which check the permission and audit the operation as always; the job center adds the job's own record.
/// </summary>
public interface IJobCenter
{
    /// <summary>Starts <paramref name="work"/> as a job of the current user and returns at once.</summary>
    /// <param name="stopWith">Also cancels the job (e.g. the request an upload reads from).</param>
    Task<JobHandle> StartAsync(JobRequest request, JobWork work, CancellationToken stopWith = default);

    /// <summary>The newest jobs of the current user; an administrator's include everyone's.</summary>
    Task<IReadOnlyList<JobView>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Whether the current user sees every user's jobs.</summary>
    Task<bool> SeesEveryoneAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls <paramref name="changed"/> (on any thread) whenever a job the current user sees starts, visibly progresses or
    /// ends, until disposed.
    /// </summary>
    Task<IDisposable> SubscribeAsync(Action<JobView> changed, CancellationToken cancellationToken = default);

    /// <summary>How many of the current user's own jobs run now.</summary>
    Task<int> CountRunningAsync(CancellationToken cancellationToken = default);

    /// <summary>Asks a running job to stop: its owner or an administrator; false when it cannot be cancelled.</summary>
    Task<bool> CancelAsync(Guid id, CancellationToken cancellationToken = default);
}
