using System.Net.Sockets;
using Bunit;
using KvmPortal.Web.Components.Layout;
using KvmPortal.Web.Tests.Localization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace KvmPortal.Web.Tests.Components;

public sealed class PageErrorBoundaryTests : BunitHarness
{
    [Fact]
    public void A_page_that_cannot_reach_the_database_says_so_in_place_and_renders_again_on_retry()
    {
        using var _ = new CultureScope("en");
        var page = new PageSource { Failure = new InvalidOperationException("query failed", new SocketException(111)) };

        var boundary = Context.Render<PageErrorBoundary>(p => p.AddChildContent<ReadingPage>(c => c.Add(x => x.Source, page)));

        var alert = boundary.WaitForElement("[data-testid=page-error]");
        Assert.Equal("true", alert.GetAttribute("data-database-unavailable"));
        Assert.Contains("database is unavailable, so this page cannot be shown", alert.TextContent);
        Assert.Empty(boundary.FindAll("[data-testid=page-content]"));

        page.Failure = null; // the database is back
        boundary.Find("[data-testid=page-retry]").Click();

        Assert.Equal("rows", boundary.WaitForElement("[data-testid=page-content]").TextContent);
    }

    [Fact]
    public void Another_failure_is_not_called_a_database_outage()
    {
        using var _ = new CultureScope("en");
        var page = new PageSource { Failure = new NullReferenceException() };

        var boundary = Context.Render<PageErrorBoundary>(p => p.AddChildContent<ReadingPage>(c => c.Add(x => x.Source, page)));

        var alert = boundary.WaitForElement("[data-testid=page-error]");
        Assert.Equal("false", alert.GetAttribute("data-database-unavailable"));
        Assert.Contains("This page failed to load", alert.TextContent);
    }

    [Fact]
    public void A_page_that_works_is_shown_as_it_is()
    {
        var boundary = Context.Render<PageErrorBoundary>(p => p.AddChildContent<ReadingPage>(c => c.Add(x => x.Source, new PageSource())));

        Assert.Equal("rows", boundary.Find("[data-testid=page-content]").TextContent);
        Assert.Empty(boundary.FindAll("[data-testid=page-error]"));
    }

    public sealed class PageSource
    {
        public Exception? Failure { get; set; }
    }

    /// <summary>A page that reads something when it starts, failing as its source says.</summary>
    public sealed class ReadingPage : ComponentBase
    {
        [Parameter, EditorRequired] public PageSource Source { get; set; } = null!;

        protected override async Task OnInitializedAsync()
        {
            await Task.Yield();
            if (Source.Failure is { } failure) throw failure;
        }

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "p");
            builder.AddAttribute(1, "data-testid", "page-content");
            builder.AddContent(2, "rows");
            builder.CloseElement();
        }
    }
}
