namespace KvmPortal.Web.Access;

/// <summary>Who asks for an operation: the signed-in user (browser or API token) and where the request came from.</summary>
public sealed record Actor(string UserId, string UserName, string? SourceIp);

/// <summary>The actor of the current circuit or HTTP request.</summary>
public interface ICurrentActor
{
    /// <summary>The signed-in actor; <see cref="AccessDeniedException"/> when nobody is signed in.</summary>
    Task<Actor> GetAsync(CancellationToken cancellationToken = default);
}
