using System.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace KvmPortal.Web.Components.Shared.Xml;

/// <summary>
/// The browser holds the text while it is edited. The component learns of edits from the script and reads the text
/// back as a stream (a domain XML can exceed the circuit's 32 KB message limit), newest read wins.
/// </summary>
public sealed partial class XmlEditor : IAsyncDisposable
{
    private const long MaxTextBytes = 16 * 1024 * 1024;

    private ElementReference input, highlight;
    private IJSObjectReference? module;
    private DotNetObjectReference<XmlEditor>? self;
    private string? shownText;
    private int reads, applied;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    /// <summary>The text to edit; the editor's own edits come back through <see cref="ValueChanged"/>.</summary>
    [Parameter, EditorRequired] public string Value { get; set; } = "";

    [Parameter] public EventCallback<string> ValueChanged { get; set; }

    [Parameter] public string? Label { get; set; }

    [Parameter] public string TestId { get; set; } = "xml-editor";

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/xml-editor.js");
            self = DotNetObjectReference.Create(this);
            shownText = Value;
            await module.InvokeVoidAsync("attach", input, highlight, Value, self);
        }
        else if (module is not null && Value != shownText)
        {
            shownText = Value;
            await module.InvokeVoidAsync("setText", input, Value);
        }
    }

    /// <summary>The text as the browser has it now (what Save and the diff must use, not the last notified one).</summary>
    public async Task<string> ReadTextAsync()
    {
        if (module is null)
            return Value;
        var read = ++reads;
        await using var reference = await module.InvokeAsync<IJSStreamReference>("getText", input);
        await using var stream = await reference.OpenReadStreamAsync(MaxTextBytes);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        // A slower earlier read must not bring back an older text.
        if (read > applied)
        {
            applied = read;
            shownText = text;
        }
        return shownText ?? text;
    }

    [JSInvokable]
    public async Task OnTextEdited()
    {
        var text = await ReadTextAsync();
        await ValueChanged.InvokeAsync(text);
    }

    public async ValueTask DisposeAsync()
    {
        if (module is not null)
        {
            try
            {
                await module.InvokeVoidAsync("detach", input);
                await module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
            }
        }
        self?.Dispose();
    }
}
