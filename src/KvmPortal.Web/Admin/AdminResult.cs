namespace KvmPortal.Web.Admin;

/// <summary>The outcome of a user or team change: done, or <see cref="Error"/> says why not (in the user's language).</summary>
public sealed record AdminResult(string? Error)
{
    public static AdminResult Ok { get; } = new((string?)null);

    public bool Succeeded => Error is null;

    public static AdminResult Fail(string error) => new(error);
}
