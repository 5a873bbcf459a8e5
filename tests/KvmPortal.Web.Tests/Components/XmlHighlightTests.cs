using System.Text;
using Bunit;
using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Components.Pages.Vms;
using KvmPortal.Web.Components.Shared.Xml;
using Microsoft.JSInterop;

namespace KvmPortal.Web.Tests.Components;

public sealed class XmlHighlightTests : BunitHarness
{
    [Fact]
    public void A_tag_splits_into_element_attribute_names_values_and_markup()
    {
        var tokens = XmlTokenizer.Tokenize("<disk type='file' device=\"disk\"><!-- c --><source file='/a&amp;b'/>x</disk>");

        Assert.Equal(
        [
            (XmlTokenKind.Markup, "<"), (XmlTokenKind.Element, "disk"), (XmlTokenKind.Markup, " "), (XmlTokenKind.AttributeName, "type"),
            (XmlTokenKind.Markup, "="), (XmlTokenKind.AttributeValue, "'file'"), (XmlTokenKind.Markup, " "), (XmlTokenKind.AttributeName, "device"),
            (XmlTokenKind.Markup, "="), (XmlTokenKind.AttributeValue, "\"disk\""), (XmlTokenKind.Markup, ">"), (XmlTokenKind.Comment, "<!-- c -->"),
            (XmlTokenKind.Markup, "<"), (XmlTokenKind.Element, "source"), (XmlTokenKind.Markup, " "), (XmlTokenKind.AttributeName, "file"),
            (XmlTokenKind.Markup, "="), (XmlTokenKind.AttributeValue, "'/a&amp;b'"), (XmlTokenKind.Markup, "/>"), (XmlTokenKind.Text, "x"),
            (XmlTokenKind.Markup, "</"), (XmlTokenKind.Element, "disk"), (XmlTokenKind.Markup, ">"),
        ], tokens.Select(t => (t.Kind, t.Text)));
    }

    [Fact]
    public void Declarations_cdata_and_a_quoted_angle_bracket_stay_whole()
    {
        var tokens = XmlTokenizer.Tokenize("<?xml version='1.0'?>\n<a b='x>y'><![CDATA[<not a tag>]]></a>");

        Assert.Equal((XmlTokenKind.Declaration, "<?xml version='1.0'?>"), (tokens[0].Kind, tokens[0].Text));
        Assert.Contains(tokens, t => t is { Kind: XmlTokenKind.AttributeValue, Text: "'x>y'" });
        Assert.Contains(tokens, t => t is { Kind: XmlTokenKind.Text, Text: "<![CDATA[<not a tag>]]>" });
        Assert.DoesNotContain(tokens, t => t is { Kind: XmlTokenKind.Element, Text: "not" });
    }

    [Theory]
    [InlineData("")]
    [InlineData("<")]
    [InlineData("</")]
    [InlineData("<a")]
    [InlineData("<a b='never closed")]
    [InlineData("<a b=\"x\" c>")]
    [InlineData("<!-- never closed")]
    [InlineData("<![CDATA[ never closed")]
    [InlineData("<?xml")]
    [InlineData("a < b > c && d")]
    [InlineData("<a <b>")]
    [InlineData("<名前 属性='値'>文字</名前>")]
    [InlineData("<name>a'/><disk</name>")]
    public void Broken_or_odd_xml_is_split_without_losing_or_inventing_a_character(string xml)
    {
        var tokens = XmlTokenizer.Tokenize(xml);

        Assert.Equal(xml, string.Concat(tokens.Select(t => t.Text)));
        Assert.All(tokens, t => Assert.NotEqual("", t.Text));
    }

    [Fact]
    public void The_view_renders_classed_spans_and_markup_in_the_xml_as_text()
    {
        var view = Context.Render<XmlView>(p => p.Add(v => v.Xml, "<title>&lt;script&gt;</title><!--<script>alert(1)</script>-->").Add(v => v.TestId, "x"));

        Assert.Equal(["title", "title"], view.FindAll(".xml-element").Select(e => e.TextContent));
        Assert.Equal("<!--<script>alert(1)</script>-->", view.Find(".xml-comment").TextContent);
        Assert.Empty(view.FindAll("script"));
        Assert.Equal("<title>&lt;script&gt;</title><!--<script>alert(1)</script>-->", view.Find("pre[data-testid=x]").TextContent);
    }

    [Fact]
    public async Task The_xml_tab_saves_the_text_the_editor_holds_and_shows_libvirts_refusal_in_place()
    {
        var editorModule = Context.JSInterop.SetupModule("./js/xml-editor.js");
        var inBrowser = "<domain type='qemu'>\n  <name>web1</name>\n  <vcpu>2</vcpu>\n</domain>";
        editorModule.Setup<IJSStreamReference>("getText", _ => true).SetResult(new TextReference(inBrowser));
        var page = RenderXmlTab();

        page.Find("[data-testid=xml-edit]").Click();
        page.WaitForAssertion(() => page.Find("[data-testid=xml-editor-input]"));
        var editor = page.FindComponent<XmlEditor>();
        Assert.True(page.Find("[data-testid=xml-save]").HasAttribute("disabled"));
        await page.InvokeAsync(editor.Instance.OnTextEdited);
        page.WaitForAssertion(() => Assert.False(page.Find("[data-testid=xml-save]").HasAttribute("disabled")));

        page.Find("[data-testid=xml-diff-toggle]").Click();
        page.WaitForAssertion(() => Assert.Equal("+   <vcpu>2</vcpu>", page.Find("[data-testid=xml-diff] .diff-added").TextContent));
        Assert.Contains(page.FindAll("[data-testid=xml-diff] .diff-added .xml-element"), e => e.TextContent == "vcpu");

        Editing.Failure = new HypervisorException("Could not define web1.", "XML error: Invalid value for element vcpu");
        page.Find("[data-testid=xml-save]").Click();
        page.WaitForAssertion(() => Assert.Equal("XML error: Invalid value for element vcpu", page.Find("[data-testid=xml-error]").TextContent.Trim()));
        Assert.NotNull(page.Find("[data-testid=xml-editor]"));

        Editing.Failure = null;
        page.Find("[data-testid=xml-save]").Click();
        page.WaitForAssertion(() => Assert.Equal(inBrowser, Editing.ReplacedXml));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=xml-editor]")));
    }

    private IRenderedComponent<VmDetail> RenderXmlTab()
    {
        var host = Inventory.AddHost("alpha");
        var vm = Inventory.AddVm(host, "web1", VmState.ShutOff);
        Operations.Details = key => new VmDetails(Inventory.Current.Vms[key], "Web", null, "kvm", "hvm", "x86_64", "q35", 2UL << 30, false,
            [], [], [], Editing.PersistentXml);
        var page = Context.Render<VmDetail>(p => p.Add(x => x.HostId, vm.HostId).Add(x => x.Uuid, vm.Uuid));
        page.WaitForAssertion(() => page.Find("[data-testid=vm-domain-type]"));
        page.FindAll(".mud-tab").First(t => t.TextContent.Trim() == "XML").Click();
        page.WaitForAssertion(() => Assert.Contains(page.FindAll("[data-testid=vm-xml] .xml-element"), e => e.TextContent == "domain"));
        return page;
    }

    private sealed class TextReference(string text) : IJSStreamReference
    {
        public long Length => Encoding.UTF8.GetByteCount(text);

        public ValueTask<Stream> OpenReadStreamAsync(long maxAllowedSize = 512000, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<Stream>(new MemoryStream(Encoding.UTF8.GetBytes(text)));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
