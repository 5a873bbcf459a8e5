namespace KvmPortal.Web.Access;

/// <summary>Keys of keyed services.</summary>
public static class ServiceKeys
{
    /// <summary>
    /// The hypervisor's own implementation of a decorated interface, without the gate: for the server's internal reads
    /// (e.g. counting a team's disks for its quota, whatever the current user may see), never for a user's request.
    /// </summary>
    public const string Ungated = "ungated";
}
