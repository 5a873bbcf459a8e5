using Bunit;
using KvmPortal.Web.Components.Pages.Hosts;

namespace KvmPortal.Web.Tests.Components;

public sealed class AddHostFormTests : BunitHarness
{
    [Theory]
    [InlineData("qemu+tls://lab/system", true, false)]
    [InlineData("qemu+ssh://root@lab/system", false, true)]
    [InlineData("qemu+libssh2://root@lab/system", false, true)]
    [InlineData("qemu+tcp://lab/system", false, false)]
    public void The_credentials_section_follows_the_uris_transport(string uri, bool tls, bool ssh)
    {
        var form = Context.Render<AddHostForm>();
        Assert.Empty(form.FindAll("[data-testid=tls-ca]"));

        form.Find("input[data-testid=host-uri], [data-testid=host-uri] input").Change(uri);

        form.WaitForAssertion(() =>
        {
            Assert.Equal(tls, form.FindAll("textarea[data-testid=tls-ca], [data-testid=tls-ca] textarea").Count == 1);
            Assert.Equal(tls, form.FindAll("[data-testid=tls-key-file]").Count == 1);
            Assert.Equal(ssh, form.FindAll("textarea[data-testid=ssh-key], [data-testid=ssh-key] textarea").Count == 1);
            Assert.Equal(ssh, form.FindAll("textarea[data-testid=ssh-known-hosts], [data-testid=ssh-known-hosts] textarea").Count == 1);
        });
    }
}
