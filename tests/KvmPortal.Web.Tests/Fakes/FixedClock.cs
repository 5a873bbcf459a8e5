namespace KvmPortal.Web.Tests.Fakes;

/// <summary>A clock that says it is <paramref name="now"/>.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
