using KvmPortal.Web.Components.Pages.Admin;
using KvmPortal.Web.Quotas;
using KvmPortal.Web.Resources;
using KvmPortal.Web.Tests.Localization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using KvmPortal.Web.Hosting;

namespace KvmPortal.Web.Tests.Quotas;

public sealed class TeamQuotaFormTests
{
    private static IStringLocalizer<Strings> Text() =>
        new ServiceCollection().AddLogging().AddKvmPortalLocalization().BuildServiceProvider().GetRequiredService<IStringLocalizer<Strings>>();

    [Fact]
    public void Empty_fields_clear_a_limit_and_numbers_set_it()
    {
        using var _ = new CultureScope("en");
        var form = new TeamQuotaForm { Vms = " 5 ", Vcpus = "", MemoryMib = "8192", DiskGib = "  ", CountsRunningOnly = true };

        Assert.Equal(new TeamQuotaLimits(MaxVcpus: null, MaxMemoryMib: 8192, MaxDiskGib: null, MaxVms: 5, CountsRunningOnly: true), form.Validate(Text()));
        Assert.Empty(form.Errors);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("abc")]
    [InlineData("3000000000")]
    public void Anything_but_a_whole_number_from_one_is_refused_under_its_field(string value)
    {
        using var _ = new CultureScope("en");
        var form = new TeamQuotaForm { Vcpus = value, DiskGib = "10" };

        Assert.Null(form.Validate(Text()));

        Assert.Equal([QuotaKind.Vcpus], form.Errors.Keys);
        Assert.StartsWith("Enter a whole number from 1 to 2,147,483,647", form.Errors[QuotaKind.Vcpus]);
    }

    [Fact]
    public void A_form_shows_the_current_limits()
    {
        var form = TeamQuotaForm.From(new TeamQuota(Guid.NewGuid(), "t", MaxVcpus: 4, MaxDiskGib: 20, CountsRunningOnly: true));

        Assert.Equal(("", "4", "", "20", true), (form.Vms, form.Vcpus, form.MemoryMib, form.DiskGib, form.CountsRunningOnly));
    }
}
