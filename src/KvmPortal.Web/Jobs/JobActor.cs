using KvmPortal.Web.Access;

namespace KvmPortal.Web.Jobs;

/// <summary>
/// In a job's own scope, the user who started the job: <see cref="CurrentActor"/> answers with it, so the gated
/// services admit and audit the job's work as its owner though no circuit or request is left. Null elsewhere.
/// </summary>
public sealed class JobActor
{
    public Actor? Actor { get; set; }
}
