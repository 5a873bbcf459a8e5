namespace KvmPortal.Libvirt;

public sealed unsafe partial class Domain
{
    /// <summary>
    /// Connects to the running domain's text console or serial port <paramref name="device"/> (its alias, e.g.
    /// "serial0"; null for the first one). Without <see cref="DomainConsoleFlags.Force"/> a console another
    /// client holds is refused.
    /// </summary>
    public ConsoleStream OpenConsole(string? device, DomainConsoleFlags flags = DomainConsoleFlags.Safe) =>
        ConsoleStream.Open(Connection, _handle, device, flags);
}
