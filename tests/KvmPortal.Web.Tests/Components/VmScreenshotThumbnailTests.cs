using Bunit;
using KvmPortal.Web.Components.Pages.Consoles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;

namespace KvmPortal.Web.Tests.Components;

/// <summary>
/// The thumbnail's dealings with its script when the page changes under it (the refresh itself runs in the browser:
/// see the browser tests). bUnit's JS interop cannot answer null for an object reference, so a small stand-in does.
/// </summary>
public sealed class VmScreenshotThumbnailTests : BunitHarness
{
    private readonly ThumbnailScript script = new();

    protected override void AddServices(IServiceCollection services) => services.AddSingleton<IJSRuntime>(script);

    [Fact]
    public async Task An_image_gone_before_the_browser_set_up_the_refresh_is_not_watched_and_the_page_carries_on()
    {
        var vm = Inventory.AddVm(Inventory.AddHost("alpha"), "web1");
        script.Watch = () => null; // what the script answers for an image no longer on the page

        var thumbnail = Context.Render<VmScreenshotThumbnail>(p => p.Add(x => x.Vm, vm));

        thumbnail.WaitForAssertion(() => Assert.Contains("watch", script.Calls));
        await Context.DisposeComponentsAsync(); // the page moves on
        Assert.DoesNotContain("setActive", script.Calls);
        Assert.DoesNotContain("dispose", script.Calls);
    }

    [Fact]
    public void Any_other_script_failure_is_not_hidden()
    {
        var vm = Inventory.AddVm(Inventory.AddHost("alpha"), "web1");
        script.Watch = () => throw new JSException("watch failed");

        var failure = Assert.ThrowsAny<Exception>(() => Context.Render<VmScreenshotThumbnail>(p => p.Add(x => x.Vm, vm)));

        Assert.Contains("watch failed", failure.ToString());
    }

    /// <summary>The browser as far as the thumbnail sees it: imports its script, answers watch as told, takes any other call.</summary>
    private sealed class ThumbnailScript : IJSRuntime, IJSObjectReference
    {
        public Func<object?> Watch { get; set; } = () => null;

        public List<string> Calls { get; } = [];

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) =>
            InvokeAsync<TValue>(identifier, CancellationToken.None, args);

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args)
        {
            lock (Calls) Calls.Add(identifier);
            return identifier switch
            {
                "import" when args?[0] is "./js/screenshot-thumbnail.js" => ValueTask.FromResult((TValue)(object)this),
                "watch" => ValueTask.FromResult((TValue)Watch()!),
                _ => ValueTask.FromResult(default(TValue)!),
            };
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
