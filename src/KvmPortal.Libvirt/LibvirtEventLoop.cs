using KvmPortal.Libvirt.Interop;

namespace KvmPortal.Libvirt;

/// <summary>
/// libvirt's default event loop, which delivers domain events, close callbacks and keepalives. It must be
/// registered before the first connection is opened and is then run on one dedicated thread forever.
/// </summary>
public static class LibvirtEventLoop
{
    private static readonly Lock Gate = new();
    private static volatile bool _started;

    public static void EnsureStarted()
    {
        if (_started)
        {
            return;
        }
        lock (Gate)
        {
            if (_started)
            {
                return;
            }
            LibvirtRuntime.EnsureInitialized();
            if (NativeMethods.virEventRegisterDefaultImpl() < 0)
            {
                throw LibvirtException.FromLastError();
            }
            var thread = new Thread(Run) { IsBackground = true, Name = "libvirt-events" };
            thread.Start();
            _started = true;
        }
    }

    private static void Run()
    {
        while (true)
        {
            // Only fails if poll() itself fails; there is no one to report to, so just avoid spinning.
            if (NativeMethods.virEventRunDefaultImpl() < 0)
            {
                Thread.Sleep(100);
            }
        }
    }
}
