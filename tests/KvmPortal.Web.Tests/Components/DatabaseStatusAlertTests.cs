using Bunit;
using KvmPortal.Web.Access;
using KvmPortal.Web.Components.Layout;
using KvmPortal.Web.Tests.Localization;

namespace KvmPortal.Web.Tests.Components;

public sealed class DatabaseStatusAlertTests : BunitHarness
{
    [Fact]
    public void It_says_so_when_the_grants_could_not_be_read()
    {
        using var _ = new CultureScope("en");
        Permissions.View = AccessView.Unavailable;

        var alert = Context.Render<DatabaseStatusAlert>();

        Assert.Contains("database is unavailable", alert.Find("[data-testid=database-unavailable]").TextContent);
    }

    [Fact]
    public void It_says_nothing_while_the_database_answers()
    {
        Assert.Empty(Context.Render<DatabaseStatusAlert>().FindAll("[data-testid=database-unavailable]"));
    }
}
