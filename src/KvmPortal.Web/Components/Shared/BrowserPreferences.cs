using Microsoft.JSInterop;

namespace KvmPortal.Web.Components.Shared;

/// <summary>
/// On/off choices remembered per browser (the portal keeps no per-user settings): a page reads them after its first
/// interactive render and writes them when the user changes them.
/// </summary>
public sealed class BrowserPreferences(IJSRuntime js) : IAsyncDisposable
{
    private IJSObjectReference? module;

    public async Task<bool> GetFlagAsync(string key) =>
        await (await ModuleAsync()).InvokeAsync<string?>("get", key) == "true";

    public async Task SetFlagAsync(string key, bool value) =>
        await (await ModuleAsync()).InvokeVoidAsync("set", key, value ? "true" : "false");

    private async Task<IJSObjectReference> ModuleAsync() =>
        module ??= await js.InvokeAsync<IJSObjectReference>("import", "./js/browser-preferences.js");

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (module is not null) await module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The browser is gone, and the module with it.
        }
    }
}
