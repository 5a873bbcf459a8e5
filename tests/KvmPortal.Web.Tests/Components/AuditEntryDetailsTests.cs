using Bunit;
using KvmPortal.Web.Components.Pages.Audit;
using KvmPortal.Web.Data;

namespace KvmPortal.Web.Tests.Components;

public sealed class AuditEntryDetailsTests : BunitHarness
{
    private static AuditRecord Entry(Action<AuditRecord>? change = null)
    {
        var entry = new AuditRecord
        {
            Id = 7,
            Time = new DateTimeOffset(2026, 11, 23, 3, 0, 0, TimeSpan.Zero),
            ActorId = "id-1",
            ActorName = "alice",
            SourceIp = "192.0.2.1",
            Action = "vm.edit",
            VmName = "web-1",
            VmUuid = Guid.Parse("5a1d9b7e-0000-4000-8000-000000000001"),
            HostName = "lab1",
            Parameters = """{"memoryMiB":2048}""",
            Succeeded = true,
        };
        change?.Invoke(entry);
        return entry;
    }

    [Fact]
    public void An_edit_shows_its_parameters_and_the_XML_as_a_line_diff()
    {
        var details = Context.Render<AuditEntryDetails>(p => p.Add(d => d.Entry, Entry(e =>
        {
            e.XmlBefore = "<domain>\n  <memory>1024</memory>\n</domain>";
            e.XmlAfter = "<domain>\n  <memory>2048</memory>\n</domain>";
        })));

        Assert.Contains("\"memoryMiB\": 2048", details.Find("[data-testid=audit-details-parameters]").TextContent);
        var lines = details.FindAll("[data-testid=audit-details-diff] > span");
        Assert.Equal(["Unchanged", "Removed", "Added", "Unchanged"], lines.Select(l => l.GetAttribute("data-diff")));
        Assert.Equal("-   <memory>1024</memory>", lines[1].TextContent);
        Assert.Contains("audit-diff-removed", lines[1].ClassName);
        Assert.Equal("+   <memory>2048</memory>", lines[2].TextContent);
        Assert.Contains("audit-diff-added", lines[2].ClassName);
        Assert.Equal(["memory", "memory"], lines[2].QuerySelectorAll(".xml-element").Select(e => e.TextContent));
        Assert.Contains(lines[2].QuerySelectorAll(".xml-text"), e => e.TextContent == "2048");
        Assert.Contains("lab1 / web-1 (5a1d9b7e-0000-4000-8000-000000000001)", details.Markup);
        Assert.Empty(details.FindAll("[data-testid=audit-details-error]"));
    }

    [Fact]
    public void A_failure_shows_its_error_and_no_diff_without_XML()
    {
        var details = Context.Render<AuditEntryDetails>(p => p.Add(d => d.Entry, Entry(e =>
        {
            e.Succeeded = false;
            e.Error = "Domain not found";
            e.Parameters = null;
        })));

        Assert.Equal("Domain not found", details.Find("[data-testid=audit-details-error]").TextContent.Trim());
        Assert.Equal("Failed", details.Find("[data-testid=audit-details-result]").TextContent.Trim());
        Assert.Contains("No parameters.", details.Markup);
        Assert.Empty(details.FindAll("[data-testid=audit-details-diff]"));
    }

    [Fact]
    public void Unchanged_XML_says_so()
    {
        var details = Context.Render<AuditEntryDetails>(p => p.Add(d => d.Entry, Entry(e => e.XmlBefore = e.XmlAfter = "<domain/>")));

        Assert.NotNull(details.Find("[data-testid=audit-details-xml-same]"));
        Assert.Equal("Unchanged", Assert.Single(details.FindAll("[data-testid=audit-details-diff] > span")).GetAttribute("data-diff"));
    }

    [Fact]
    public void The_close_button_reports_to_the_page()
    {
        var closed = false;
        var details = Context.Render<AuditEntryDetails>(p => p
            .Add(d => d.Entry, Entry())
            .Add(d => d.OnClose, () => closed = true));

        details.Find("[data-testid=audit-details-close]").Click();

        Assert.True(closed);
    }
}
