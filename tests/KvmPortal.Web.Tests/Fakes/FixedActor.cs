using KvmPortal.Web.Access;

namespace KvmPortal.Web.Tests.Fakes;

/// <summary>The current actor as a test sets it; null is nobody signed in.</summary>
public sealed class FixedActor(Actor? actor) : ICurrentActor
{
    public Task<Actor> GetAsync(CancellationToken cancellationToken = default) =>
        actor is null ? Task.FromException<Actor>(new AccessDeniedException(PortalAction.ViewVm, "Nobody is signed in.")) : Task.FromResult(actor);
}
