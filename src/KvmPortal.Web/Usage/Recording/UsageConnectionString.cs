namespace KvmPortal.Web.Usage.Recording;

/// <summary>The database the usage recorder and rollup job open their own connections to (outside EF Core).</summary>
public sealed record UsageConnectionString(string Value);
