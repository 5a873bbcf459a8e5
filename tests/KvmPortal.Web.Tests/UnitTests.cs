using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Components.Account;
using KvmPortal.Web.Components.Pages.Vms;
using KvmPortal.Web.Hosts;

namespace KvmPortal.Web.Tests;

public sealed class UnitTests
{
    [Theory]
    [InlineData(VmState.ShutOff, new[] { VmAction.Start })]
    [InlineData(VmState.Crashed, new[] { VmAction.Start })]
    [InlineData(VmState.Running, new[] { VmAction.Shutdown, VmAction.Reboot, VmAction.ForceOff, VmAction.Pause })]
    [InlineData(VmState.Paused, new[] { VmAction.ForceOff, VmAction.Resume })]
    [InlineData(VmState.Unknown, new VmAction[0])]
    public void Actions_are_enabled_by_state(VmState state, VmAction[] enabled) =>
        Assert.Equal(enabled, VmActionRules.All.Where(a => VmActionRules.IsEnabled(a, state)));

    [Fact]
    public void Generated_administrator_passwords_are_long_and_mixed()
    {
        for (var i = 0; i < 50; i++)
        {
            var password = AdministratorSeeder.GeneratePassword();
            Assert.True(password.Length >= 20);
            Assert.Contains(password, char.IsLower);
            Assert.Contains(password, char.IsUpper);
            Assert.Contains(password, char.IsDigit);
            Assert.Contains(password, c => !char.IsLetterOrDigit(c));
        }
    }

    [Theory]
    [InlineData("qemu:///system", "localhost")]
    [InlineData("qemu+ssh://root@lab1.example.org/system", "lab1.example.org")]
    [InlineData("test:///default", "test default")]
    public void Default_hosts_get_readable_names(string uri, string name) =>
        Assert.Equal(name, HostStartup.DefaultName(uri));
}
