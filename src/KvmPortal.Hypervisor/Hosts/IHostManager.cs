namespace KvmPortal.Hypervisor.Hosts;

/// <summary>Starts and stops the per-host sessions. Persistence of hosts is the caller's business.</summary>
public interface IHostManager
{
    /// <summary>Starts a session for the host (connecting in the background). Idempotent per host id.</summary>
    void Attach(HostDefinition host);

    /// <summary>Stops the host's session and removes its host and VMs from the inventory.</summary>
    Task DetachAsync(Guid hostId);
}
