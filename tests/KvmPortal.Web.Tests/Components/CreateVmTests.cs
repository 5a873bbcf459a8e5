using Bunit;
using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Web.Components.Pages.Vms.Create;
using KvmPortal.Web.Tests.Localization;
using KvmPortal.Web.Tests.Vms;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Components;

public sealed class CreateVmTests : BunitHarness
{
    private IRenderedComponent<CreateVm> RenderWizard(out Guid hostId, string cpus = "8 CPUs")
    {
        var host = CreateVmViewModelTests.Host("alpha", kvm: false);
        hostId = host.Id;
        Storage.AddPool(host.Id, "default");
        Inventory.Push(new HostChanged(host));
        var page = Context.Render<CreateVm>();
        page.WaitForAssertion(() => Assert.Contains(cpus, page.Find("[data-testid=wizard-host-resources]").TextContent));
        return page;
    }

    private static void SetText(IRenderedComponent<CreateVm> page, string testId, string value) =>
        page.Find($"input[data-testid={testId}], [data-testid={testId}] input").Input(value);

    [Fact]
    public void A_bad_name_is_shown_at_the_name_field_and_the_wizard_stays_on_the_step()
    {
        var page = RenderWizard(out _);
        SetText(page, "wizard-name", "a/b");

        page.Find("[data-testid=wizard-next]").Click();

        page.WaitForAssertion(() =>
        {
            Assert.Contains("must not contain '/'", page.Find(".mud-input-helper-text.mud-input-error, .mud-input-error").TextContent);
            Assert.Equal("yes", page.Find("[data-testid=wizard-step-basics]").GetAttribute("data-problems"));
        });
        Assert.NotNull(page.Find("[data-testid=wizard-name]"));
        Assert.Empty(Provisioning.Created);
    }

    [Fact]
    public void In_simplified_chinese_a_bad_name_is_explained_in_chinese()
    {
        using var chinese = new CultureScope("zh-Hans");
        var page = RenderWizard(out _, "8 个 CPU");
        SetText(page, "wizard-name", "a/b");

        page.Find("[data-testid=wizard-next]").Click();

        page.WaitForAssertion(() =>
            Assert.Contains("虚拟机名称不能包含“/”。", page.Find(".mud-input-helper-text.mud-input-error, .mud-input-error").TextContent));
    }

    [Fact]
    public void A_problem_on_a_later_step_is_shown_on_that_step()
    {
        var page = RenderWizard(out _);
        SetText(page, "wizard-name", "web1");
        page.Find("[data-testid=wizard-next]").Click();
        page.WaitForAssertion(() => page.Find("[data-testid=wizard-install-kernel]"));
        page.Find("input[data-testid=wizard-install-kernel]").Click();

        page.Find("[data-testid=wizard-step-review]").Click();

        page.WaitForAssertion(() =>
        {
            Assert.Contains("kernel", page.Find("[data-testid=wizard-problems]").TextContent);
            Assert.NotNull(page.Find("[data-testid=wizard-kernel]"));
            Assert.Equal("yes", page.Find("[data-testid=wizard-step-install]").GetAttribute("data-problems"));
        });
    }

    [Fact]
    public void Review_shows_the_xml_and_create_opens_the_new_vm()
    {
        var page = RenderWizard(out var hostId);
        SetText(page, "wizard-name", "web1");

        page.Find("[data-testid=wizard-step-review]").Click();
        page.WaitForAssertion(() => Assert.Contains("<name>web1</name>", page.Find("[data-testid=wizard-review-xml]").TextContent));
        page.Find("[data-testid=wizard-create]").Click();

        var navigation = Context.Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.EndsWith($"vms/{hostId}/{Provisioning.CreatedUuid}", navigation.Uri));
        var spec = Assert.Single(Provisioning.Created);
        Assert.Equal(KvmPortal.Hypervisor.Vms.Create.DomainKind.Qemu, spec.Kind);
    }

    [Fact]
    public void A_failed_create_shows_libvirts_text()
    {
        var page = RenderWizard(out _);
        SetText(page, "wizard-name", "web1");
        page.Find("[data-testid=wizard-step-review]").Click();
        page.WaitForAssertion(() => page.Find("[data-testid=wizard-create]"));
        Provisioning.Failure = new HypervisorException("Creating web1 failed while defining the domain.", "unsupported configuration: bad");

        page.Find("[data-testid=wizard-create]").Click();

        page.WaitForAssertion(() => Assert.Contains("unsupported configuration: bad", page.Find("[data-testid=wizard-error]").TextContent));
    }
}
